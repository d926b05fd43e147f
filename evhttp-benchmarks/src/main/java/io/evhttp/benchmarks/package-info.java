/**
 * JMH benchmarks of the core parsers (request head, multipart, urlencoded), which use
 * {@code io.evhttp.internal} packages on purpose and are not an example of the API; and
 * {@link io.evhttp.benchmarks.CoreEcho}, the echo contract on the core alone.
 */
package io.evhttp.benchmarks;
