/**
 * Auto-configuration of the evhttp server: {@code evhttp.*} properties, the server's
 * lifecycle, routing of {@link io.evhttp.spring.EvUploadHandler} beans, and the Actuator
 * endpoint, health indicator and metrics.
 */
package io.evhttp.spring.autoconfigure;
