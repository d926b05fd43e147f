package io.evhttp.server;

/**
 * Answers a request once it has been received whole: its fields are decoded and its files
 * are on disk.
 *
 * <p>
 * Runs on the listener's executor when one is configured
 * ({@link ListenerConfig#executor}), where it may block; otherwise on the connection's
 * event loop, where it must not block (hand slow work to another thread and answer later:
 * {@link Response} may be used from any thread). An exception thrown before the response
 * is committed is answered with 500 (or the status of an
 * {@link io.evhttp.http.HttpException}).
 */
@FunctionalInterface
public interface Handler {

	void handle(Request request, Response response) throws Exception;

}
