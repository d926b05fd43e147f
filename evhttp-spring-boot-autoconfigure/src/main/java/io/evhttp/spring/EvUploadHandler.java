package io.evhttp.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a bean implementing {@link io.evhttp.server.Handler}, or one with handler
 * methods, as an evhttp upload handler.
 *
 * <p>
 * Each distinct {@link #port()} becomes one listener; {@link #path()} patterns (Ant
 * style, as {@code /upload/**}) route requests within it, the most specific first; a
 * request no pattern matches gets 404 before its body is read. A bean that also
 * implements {@link io.evhttp.server.UploadListener} receives the raw callbacks of the
 * requests routed to it, on the event loop.
 *
 * <pre>{@code
 * &#64;EvUploadHandler(path = "/upload")
 * class Uploads implements Handler {
 *     public void handle(Request request, Response response) { ... }
 * }
 * }</pre>
 *
 * <p>
 * <strong>Handler methods.</strong> With {@code spring-web} on the classpath, a bean that
 * does not implement {@code Handler} is served through its methods annotated with
 * Spring's {@code @RequestMapping}, {@code @GetMapping}, {@code @PostMapping},
 * {@code @PutMapping}, {@code @PatchMapping} or {@code @DeleteMapping}. A method's path
 * is relative to the <em>first</em> {@link #path()} without its trailing {@code /**} (and
 * to the path of a {@code @RequestMapping} on the class): with
 * {@code path = "/files/**"}, {@code @GetMapping("/{name}")} serves
 * {@code GET /files/report.pdf}, and a mapping without a path serves {@code /files}. A
 * path without wildcards ({@code /upload}) routes itself alone, so its methods map no
 * path of their own. Requests routed here by another of the {@code path()} patterns reach
 * the methods only if their paths fall under the first.
 *
 * <pre>{@code
 * &#64;EvUploadHandler(path = "/files/**")
 * class Files {
 *     &#64;GetMapping("/{name}")
 *     Path fetch(@PathVariable String name) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface EvUploadHandler {

	/** Bean name, as {@link Component#value()}. */
	@AliasFor(annotation = Component.class)
	String value() default "";

	/** Port to listen on; empty for {@code evhttp.port}. Placeholders are resolved. */
	String port() default "";

	/**
	 * Path patterns served, Ant style. Handler methods map below the first, without its
	 * trailing {@code /**}.
	 */
	String[] path() default "/**";

	/** Where the handler runs. */
	Threading threading() default Threading.EXECUTOR;

	/**
	 * Largest file for this handler ({@code 10MB}); empty for {@code evhttp.limits.file}.
	 * Placeholders are resolved.
	 */
	String maxFileSize() default "";

	/**
	 * Largest request body for this handler; empty for {@code evhttp.limits.request}.
	 * Placeholders are resolved.
	 */
	String maxRequestSize() default "";

	/**
	 * Longest wait for more body bytes, and grace period of the body rate, for this
	 * handler ({@code 5m}); empty for {@code evhttp.timeout}. Placeholders are resolved.
	 */
	String timeout() default "";

	/**
	 * Name of the {@link io.evhttp.upload.UploadStore} bean this handler's files go to
	 * (one route's files in another bucket, or on local disk while the rest go to S3);
	 * empty for the server's store. Placeholders are resolved. The store is the
	 * application's: the server neither sweeps nor closes it.
	 */
	String store() default "";

	/**
	 * Name of the {@code spring.ssl.bundle.*} bundle this handler's port serves TLS with;
	 * empty for {@code evhttp.ssl.bundle}. Handlers sharing a port must agree.
	 * Placeholders are resolved.
	 */
	String sslBundle() default "";

	/**
	 * Whether this handler's uploads are published as events. Turn it off for endpoints
	 * that take many small uploads and need no progress, to save the work of building and
	 * dispatching them.
	 */
	boolean events() default true;

}
