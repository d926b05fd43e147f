package io.evhttp.spring.autoconfigure;

import io.evhttp.server.Request;
import io.evhttp.server.RequestOutcome;
import java.util.List;

/**
 * What follows each request from its head to its end, for observations and the access
 * log. {@link #started}, {@link #routed} and {@link #ended} run on the event loop and
 * must not block; {@link #scope} wraps the handler and the request's upload events on
 * their threads.
 */
interface RequestTracking {

	RequestTracking NONE = new RequestTracking() {
	};

	/** Open around code that runs for a request, on its thread. */
	interface Scope extends AutoCloseable {

		Scope NONE = () -> {
		};

		@Override
		void close();

	}

	/** The head arrived; no route is chosen yet. */
	default void started(Request request) {
	}

	/** The route's pattern matched the request's path. */
	default void routed(Request request, String pattern) {
	}

	/** The handler threw {@code failure}; the server answers it. */
	default void handlerFailed(Request request, Throwable failure) {
	}

	default Scope scope(Request request) {
		return Scope.NONE;
	}

	/** The request is over, answered or not. */
	default void ended(Request request, RequestOutcome outcome) {
	}

	static RequestTracking of(List<RequestTracking> all) {
		List<RequestTracking> active = all.stream().filter((t) -> t != NONE).toList();
		if (active.isEmpty()) {
			return NONE;
		}
		if (active.size() == 1) {
			return active.get(0);
		}
		return new RequestTracking() {

			@Override
			public void started(Request request) {
				active.forEach((t) -> t.started(request));
			}

			@Override
			public void routed(Request request, String pattern) {
				active.forEach((t) -> t.routed(request, pattern));
			}

			@Override
			public void handlerFailed(Request request, Throwable failure) {
				active.forEach((t) -> t.handlerFailed(request, failure));
			}

			@Override
			public Scope scope(Request request) {
				List<Scope> scopes = active.stream().map((t) -> t.scope(request)).toList();
				return () -> {
					for (int i = scopes.size() - 1; i >= 0; i--) {
						scopes.get(i).close();
					}
				};
			}

			@Override
			public void ended(Request request, RequestOutcome outcome) {
				active.forEach((t) -> t.ended(request, outcome));
			}

		};
	}

}
