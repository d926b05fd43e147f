/**
 * Where uploaded bytes go: the {@link io.evhttp.upload.UploadStore} SPI and its
 * {@link io.evhttp.upload.UploadSink} per file, the local-disk store used by default, the
 * {@link io.evhttp.upload.OffloadedStore} decorator that moves writes off the event
 * loops, and the {@link io.evhttp.upload.DigestAlgorithm} computed while a file streams
 * in.
 */
package io.evhttp.upload;
