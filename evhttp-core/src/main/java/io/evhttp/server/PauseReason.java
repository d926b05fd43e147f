package io.evhttp.server;

/**
 * Why a request body is not being read. Reasons are independent: the body flows again
 * once none holds it. Only an application's pause is bounded by the request timeout; the
 * server's own wait for its store.
 */
enum PauseReason {

	/** The application paused the body ({@link Request#pauseBody()}). */
	BY_APPLICATION,

	/** A file is being created off the loop. */
	FILE_OPENING,

	/** A store's sink takes no more bytes until it has caught up. */
	SINK_FULL,

	/** The body is read whole; the handler waits for the store to finish its files. */
	STORING

}
