package io.evhttp.spring.autoconfigure;

import io.evhttp.http.HttpException;
import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.RequestOutcome;
import io.evhttp.server.Response;
import io.evhttp.server.UploadListener;
import io.evhttp.spring.Threading;
import io.evhttp.spring.event.FileProgressEvent;
import io.evhttp.server.UploadedFile;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.springframework.util.AntPathMatcher;

/**
 * Serves one port: routes each request by path to its {@code @EvUploadHandler} as soon as
 * its head arrives (404 before any body byte when nothing matches), applies the handler's
 * limits and store, forwards the raw callbacks to it, turns them into events, and has the
 * server run the handler where its {@link Threading} says.
 */
final class PortRouter implements Handler, UploadListener {

	/**
	 * What a request is routed to, kept as its {@link Request#route()}: made once per
	 * pattern, so routing allocates nothing per request.
	 */
	record Routed(HandlerRoute route, String pattern) {
	}

	/** Every pattern and its route, in the order of the routes. */
	private final Map<String, Routed> patterns = new LinkedHashMap<>();

	private final Executor executor;

	private final UploadEventPublisher events;

	private final UploadsInFlight inFlight;

	private final RequestTracking tracking;

	private final AntPathMatcher matcher = new AntPathMatcher();

	/** Patterns without wildcards, looked up directly: most routes are plain paths. */
	private final Map<String, HandlerRoute> exact = new HashMap<>();

	/** {@code null} when errors are answered as text. */
	private final ProblemDocuments problems;

	PortRouter(List<HandlerRoute> routes, Executor executor, UploadEventPublisher events, UploadsInFlight inFlight,
			RequestTracking tracking, ProblemDocuments problems) {
		this.problems = problems;
		this.executor = executor;
		this.events = events;
		this.inFlight = inFlight;
		this.tracking = tracking;
		for (HandlerRoute route : routes) {
			for (String pattern : route.paths()) {
				this.patterns.putIfAbsent(pattern, new Routed(route, pattern));
				if (!this.matcher.isPattern(pattern)) {
					this.exact.putIfAbsent(pattern, route);
				}
			}
		}
	}

	@Override
	public void onHead(Request request) {
		try {
			admit(request);
		}
		catch (HttpException ex) {
			throw problem(ex, request);
		}
	}

	private void admit(Request request) {
		this.tracking.started(request);
		String pattern = match(request.path());
		if (pattern == null) {
			throw new HttpException(404, "no handler for " + request.path());
		}
		Routed routed = this.patterns.get(pattern);
		HandlerRoute route = routed.route();
		request.route(routed);
		this.tracking.routed(request, pattern);
		if (route.threading() == Threading.EVENT_LOOP) {
			request.handleOnEventLoop();
		}
		else {
			request.handleOn(this.executor);
		}
		if (route.maxFileBytes() != Long.MIN_VALUE) {
			request.maxFileBytes(route.maxFileBytes());
		}
		if (route.maxRequestBytes() != Long.MIN_VALUE) {
			request.maxRequestBytes(route.maxRequestBytes());
		}
		if (route.timeout() != null) {
			request.bodyTimeout(route.timeout());
		}
		if (route.store() != null) {
			request.storeIn(route.store());
		}
		route.callbacks().onHead(request);
		if (request.contentLength() != 0) {
			this.inFlight.started(request, pattern,
					(route.store() != null) ? route.store().getClass().getSimpleName() : "default");
		}
	}

	@Override
	public void onMultipart(Request request) {
		HandlerRoute route = route(request);
		route.callbacks().onMultipart(request);
		if (route.events()) {
			this.events.multipartStarted(request);
		}
	}

	@Override
	public void onFileOpen(Request request, UploadedFile file) {
		HandlerRoute route = route(request);
		route.callbacks().onFileOpen(request, file);
		this.inFlight.fileOpened(request, file);
		if (route.events()) {
			this.events.fileOpened(request, file);
		}
	}

	@Override
	public boolean wantsFileWrites(Request request) {
		HandlerRoute route = route(request);
		return route != null && (route.callbacks().wantsFileWrites(request)
				|| (route.events() && this.events.wants(FileProgressEvent.class)));
	}

	@Override
	public void onFileWrite(Request request, UploadedFile file, ByteBuffer chunk) {
		HandlerRoute route = route(request);
		route.callbacks().onFileWrite(request, file, chunk);
		if (route.events()) {
			this.events.fileWritten(request, file);
		}
	}

	@Override
	public void onFileReceived(Request request, UploadedFile file) {
		HandlerRoute route = route(request);
		route.callbacks().onFileReceived(request, file);
		if (route.events()) {
			this.events.fileReceived(request, file);
		}
	}

	@Override
	public void onHeadRefused(HttpException reason) {
		problem(reason, null);
	}

	@Override
	public void onError(Request request, HttpException reason) {
		// called before the answer is written: the document goes out with it
		problem(reason, request);
		HandlerRoute route = route(request);
		if (route == null) {
			return;
		}
		this.inFlight.failed(request, reason.status());
		route.callbacks().onError(request, reason);
		if (route.events()) {
			this.events.failed(request, reason);
		}
	}

	/**
	 * Runs on the thread the route asked for in {@link #onHead}; what the handler throws
	 * is answered by the server.
	 */
	@Override
	public void handle(Request request, Response response) throws Exception {
		HandlerRoute route = route(request);
		if (request.contentLength() != 0) {
			this.inFlight.completed(request);
		}
		try (RequestTracking.Scope scope = this.tracking.scope(request)) {
			route.handler().handle(request, response);
		}
		catch (HttpException ex) {
			this.tracking.handlerFailed(request, ex);
			throw problem(ex, request);
		}
		catch (Exception ex) {
			this.tracking.handlerFailed(request, ex);
			if (this.problems != null) {
				throw problem(new HttpException(500, "handler failed", ex), request);
			}
			throw ex;
		}
		catch (Error ex) {
			this.tracking.handlerFailed(request, ex);
			throw ex;
		}
	}

	@Override
	public void onComplete(Request request, RequestOutcome outcome) {
		HandlerRoute route = route(request);
		if (route != null) {
			route.callbacks().onComplete(request, outcome);
			if (route.events()) {
				this.events.completed(request, outcome);
			}
		}
		this.tracking.ended(request, outcome);
	}

	private HttpException problem(HttpException ex, Request request) {
		return (this.problems != null) ? this.problems.attach(ex, request) : ex;
	}

	/** The route of a request routed here, or {@code null}. */
	static HandlerRoute route(Request request) {
		return (request.route() instanceof Routed routed) ? routed.route() : null;
	}

	/** The path pattern a request was routed by, or {@code null}. */
	static String pattern(Request request) {
		return (request.route() instanceof Routed routed) ? routed.pattern() : null;
	}

	/** The most specific pattern matching {@code path}, or {@code null}. */
	private String match(String path) {
		if (this.exact.containsKey(path)) {
			return path;
		}
		String bestPattern = null;
		Comparator<String> specificity = this.matcher.getPatternComparator(path);
		for (String pattern : this.patterns.keySet()) {
			if (this.matcher.match(pattern, path)
					&& (bestPattern == null || specificity.compare(pattern, bestPattern) < 0)) {
				bestPattern = pattern;
			}
		}
		return bestPattern;
	}

}
