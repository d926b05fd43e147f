/**
 * What a Spring application uses to serve uploads: the
 * {@link io.evhttp.spring.EvUploadHandler} annotation that routes a port and paths to a
 * handler bean, and the {@link io.evhttp.spring.Threading} it runs on.
 */
package io.evhttp.spring;
