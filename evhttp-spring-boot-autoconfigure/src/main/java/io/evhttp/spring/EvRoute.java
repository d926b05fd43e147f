package io.evhttp.spring;

import io.evhttp.server.Handler;
import io.evhttp.upload.UploadStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.springframework.util.unit.DataSize;

/**
 * A route declared in code rather than with {@link EvUploadHandler}: a bean of this type
 * is served exactly as an annotated handler with the same settings would be, for handlers
 * that are not beans of their own, whose paths or port are computed, or that a library
 * contributes.
 *
 * <pre>{@code
 * &#64;Bean
 * EvRoute archives(ArchiveService service) {
 *     return EvRoute.of((request, response) -> service.receive(request, response), "/archives/**")
 *         .maxFileSize(DataSize.ofGigabytes(20));
 * }
 * }</pre>
 *
 * <p>
 * A handler that also implements {@link io.evhttp.server.UploadListener} receives the raw
 * callbacks of its requests, as with the annotation. Each setter returns a new route.
 */
public final class EvRoute {

	private final Handler handler;

	private final List<String> paths;

	private final Integer port;

	private final Threading threading;

	private final DataSize maxFileSize;

	private final DataSize maxRequestSize;

	private final Duration timeout;

	private final boolean events;

	private final UploadStore store;

	private EvRoute(Handler handler, List<String> paths, Integer port, Threading threading, DataSize maxFileSize,
			DataSize maxRequestSize, Duration timeout, boolean events, UploadStore store) {
		this.handler = handler;
		this.paths = paths;
		this.port = port;
		this.threading = threading;
		this.maxFileSize = maxFileSize;
		this.maxRequestSize = maxRequestSize;
		this.timeout = timeout;
		this.events = events;
		this.store = store;
	}

	/**
	 * A route for {@code handler} on {@code evhttp.port}, running on the executor, with
	 * the global limits and events on.
	 * @param handler what answers
	 * @param paths Ant-style path patterns, at least one
	 * @return the route
	 */
	public static EvRoute of(Handler handler, String... paths) {
		Objects.requireNonNull(handler, "handler");
		if (paths.length == 0) {
			throw new IllegalArgumentException("A route needs at least one path pattern");
		}
		return new EvRoute(handler, List.of(paths), null, Threading.EXECUTOR, null, null, null, true, null);
	}

	/** Port to listen on (0: any free port) instead of {@code evhttp.port}. */
	public EvRoute port(int port) {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("Invalid port " + port);
		}
		return new EvRoute(this.handler, this.paths, port, this.threading, this.maxFileSize, this.maxRequestSize,
				this.timeout, this.events, this.store);
	}

	/** Where the handler runs. */
	public EvRoute threading(Threading threading) {
		return new EvRoute(this.handler, this.paths, this.port, Objects.requireNonNull(threading), this.maxFileSize,
				this.maxRequestSize, this.timeout, this.events, this.store);
	}

	/** Largest file, instead of {@code evhttp.limits.file}. */
	public EvRoute maxFileSize(DataSize size) {
		return new EvRoute(this.handler, this.paths, this.port, this.threading, Objects.requireNonNull(size),
				this.maxRequestSize, this.timeout, this.events, this.store);
	}

	/** Largest request body, instead of {@code evhttp.limits.request}. */
	public EvRoute maxRequestSize(DataSize size) {
		return new EvRoute(this.handler, this.paths, this.port, this.threading, this.maxFileSize,
				Objects.requireNonNull(size), this.timeout, this.events, this.store);
	}

	/**
	 * Body timeout and grace period of the body rate, instead of {@code evhttp.timeout}.
	 */
	public EvRoute timeout(Duration timeout) {
		return new EvRoute(this.handler, this.paths, this.port, this.threading, this.maxFileSize, this.maxRequestSize,
				Objects.requireNonNull(timeout), this.events, this.store);
	}

	/** Whether uploads are published as events (on by default). */
	public EvRoute events(boolean events) {
		return new EvRoute(this.handler, this.paths, this.port, this.threading, this.maxFileSize, this.maxRequestSize,
				this.timeout, events, this.store);
	}

	/** Where this route's files go, instead of the server's store. */
	public EvRoute store(UploadStore store) {
		return new EvRoute(this.handler, this.paths, this.port, this.threading, this.maxFileSize, this.maxRequestSize,
				this.timeout, this.events, Objects.requireNonNull(store));
	}

	public Handler handler() {
		return this.handler;
	}

	public List<String> paths() {
		return this.paths;
	}

	/** The port, or {@code null} for {@code evhttp.port}. */
	public Integer port() {
		return this.port;
	}

	public Threading threading() {
		return this.threading;
	}

	/** The largest file, or {@code null} for the global limit. */
	public DataSize maxFileSize() {
		return this.maxFileSize;
	}

	/** The largest body, or {@code null} for the global limit. */
	public DataSize maxRequestSize() {
		return this.maxRequestSize;
	}

	/** The body timeout, or {@code null} for the global one. */
	public Duration timeout() {
		return this.timeout;
	}

	public boolean events() {
		return this.events;
	}

	/** The store, or {@code null} for the server's. */
	public UploadStore store() {
		return this.store;
	}

}
