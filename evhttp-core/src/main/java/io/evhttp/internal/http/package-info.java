/**
 * Not API, may change without notice: the request-head parser, body framing, the chunked
 * decoder and small RFC 9110 helpers used by {@code io.evhttp.server}. Public only
 * because Java has no access between sibling packages; the module does not export it.
 */
package io.evhttp.internal.http;
