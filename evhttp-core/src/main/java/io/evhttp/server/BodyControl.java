package io.evhttp.server;

/**
 * What a content reader may ask of the request body it reads: the narrow way back from
 * readers and their files to the connection, callable from the loop only unless said
 * otherwise.
 */
interface BodyControl {

	/** Stops reading the body for {@code reason}. */
	void pause(PauseReason reason);

	/** Lifts {@code reason}. Any thread: handed over to the loop. */
	void resume(PauseReason reason);

	/**
	 * Runs {@code task} on the loop, unless the request has ended by then. Any thread.
	 */
	void onLoop(Runnable task);

	/** Everything of the body is stored: the handler may run. */
	void complete();

	/**
	 * The body failed: answered with the status of {@code failure} (mapped by
	 * {@link BodyFailures}). Any thread: handed over to the loop.
	 */
	void fail(Throwable failure);

}
