/**
 * {@link io.evhttp.multipart.MultipartLimits}, the limits on {@code multipart/form-data}
 * bodies. The parser lives in {@code io.evhttp.internal.multipart}.
 */
package io.evhttp.multipart;
