/**
 * Not API, may change without notice: the decoder of query strings, urlencoded bodies and
 * cookies used by {@code io.evhttp.server}. Public only because Java has no access
 * between sibling packages; the module does not export it.
 */
package io.evhttp.internal.form;
