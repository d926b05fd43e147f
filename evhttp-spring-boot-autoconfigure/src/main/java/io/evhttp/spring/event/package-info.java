/**
 * Application events published along an upload (multipart started, file opened, progress,
 * file received, upload failed) and when a listener has started.
 */
package io.evhttp.spring.event;
