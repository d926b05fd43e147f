package io.evhttp.server;

import io.evhttp.http.HttpException;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a request's handler where it belongs, and catches what it throws: the one
 * dispatch. The handler runs on the executor the request chose
 * ({@link Request#handleOn}), else its listener's, else on the event loop. A failure is
 * handed to the loop, which answers it as the server answers its own refusals
 * ({@link ErrorAnswer}): an {@link HttpException}'s status and header fields, 500 for
 * anything else.
 */
final class HandlerDispatch {

	private static final Logger log = Logger.getLogger(HandlerDispatch.class.getName());

	private HandlerDispatch() {
	}

	/**
	 * @param failed runs on the loop when the handler failed
	 */
	static void run(ListenerConfig config, Request request, Response response,
			BiConsumer<Request, HttpException> failed) {
		Executor executor = request.settings().handlerExecutorOr(config.executor());
		if (executor == null) {
			invoke(config.handler(), request, response, failed);
			return;
		}
		try {
			executor.execute(() -> invoke(config.handler(), request, response, failed));
		}
		catch (RuntimeException ex) {
			failed.accept(request, new HttpException(503, "handler executor refused the request: " + ex)
				.withHeader("Retry-After", "1"));
		}
	}

	private static void invoke(Handler handler, Request request, Response response,
			BiConsumer<Request, HttpException> failed) {
		try {
			handler.handle(request, response);
		}
		catch (Throwable ex) {
			HttpException reason = (ex instanceof HttpException he) ? he : new HttpException(500, "handler failed", ex);
			if (reason.status() >= 500) {
				log.log(Level.WARNING, "handler failed for " + request, ex);
			}
			request.onLoop(() -> failed.accept(request, reason));
		}
	}

}
