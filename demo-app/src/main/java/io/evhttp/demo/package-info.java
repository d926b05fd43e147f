/**
 * Demo application: the echo contract, a small file store, upload events pushed to a page
 * as Server-Sent Events and the static upload page, all as
 * {@link io.evhttp.spring.EvUploadHandler} beans.
 */
package io.evhttp.demo;
