/**
 * Not API, may change without notice: the streaming {@code multipart/form-data} parser,
 * its listener and boundary search, used by {@code io.evhttp.server}. Public only because
 * Java has no access between sibling packages; the module does not export it.
 */
package io.evhttp.internal.multipart;
