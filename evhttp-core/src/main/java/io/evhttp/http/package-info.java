/**
 * HTTP types a user of the server meets: {@link io.evhttp.http.HttpException} to refuse a
 * request with a status, {@link io.evhttp.http.Headers} of a request, and the
 * {@link io.evhttp.http.HeadLimits} on its head. The parsers live in
 * {@code io.evhttp.internal.http}.
 */
package io.evhttp.http;
