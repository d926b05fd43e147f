/**
 * Application events published along an upload (multipart started, file opened, progress,
 * file received, upload failed), along a resumable upload (created, progress, completed,
 * terminated, expired, failed) and when a listener has started.
 */
package io.evhttp.spring.event;
