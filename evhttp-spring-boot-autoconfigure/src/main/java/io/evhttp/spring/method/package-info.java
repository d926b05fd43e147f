/**
 * Handler methods: an {@link io.evhttp.spring.EvUploadHandler} bean whose methods carry
 * Spring's {@code @RequestMapping} annotations, served as one
 * {@link io.evhttp.server.Handler} that matches the path, binds the parameters, writes
 * the return value and answers exceptions. Needs {@code spring-web} on the classpath.
 */
package io.evhttp.spring.method;
