/**
 * JMH benchmarks of the core parsers (request head, multipart, urlencoded). They use
 * {@code io.evhttp.internal} packages on purpose and are not an example of the API.
 */
package io.evhttp.benchmarks;
