package io.evhttp.server;

/**
 * Timestamps and counters of one connection that {@link TimeoutPolicy} reads. Event loop
 * only.
 */
final class ConnectionTimes {

	/** The application paused the body ({@link Request#pauseBody()}). */
	static final int PAUSED_BY_APP = 1;

	/** Too many bytes wait for the disk executor. */
	static final int PAUSED_FOR_DISK = 2;

	/** A temp file is being created off the loop. */
	static final int PAUSED_FOR_FILE = 4;

	/** The body is read whole; the handler waits for the disk to catch up. */
	static final int PAUSED_BODY_DONE = 8;

	/** Since when the connection waits for a new request. */
	long idleSince;

	/** First byte of the current head, or -1 before it. */
	long headStart = -1;

	long lastRead;

	long bodyStart;

	long bodyBytes;

	/**
	 * Whether any reason holds the body: no reading meanwhile, and no body timeout but
	 * the bound on an application's pause.
	 */
	boolean bodyPaused;

	/** The reasons ({@code PAUSED_*} bits) that hold the body. */
	private int pauseReasons;

	/** The request's own body timeout, or -1 for the server's. */
	long bodyTimeoutNanos = -1;

	long pausedSince;

	long pausedNanos;

	/** Since when the application holds the body, or -1: such a pause is bounded. */
	long appPausedSince = -1;

	/** Whether response bytes wait for the client to take them. */
	boolean writePending;

	long lastWrite;

	/** Since when response bytes wait, and how many the client took since. */
	long writeStart;

	long writeBytes;

	long drainStart;

	void startIdle(long now) {
		this.idleSince = now;
		this.headStart = -1;
	}

	void startBody(long now) {
		this.bodyStart = now;
		this.lastRead = now;
		this.bodyBytes = 0;
		this.pausedNanos = 0;
		this.bodyPaused = false;
		this.pauseReasons = 0;
		this.appPausedSince = -1;
		this.bodyTimeoutNanos = -1;
	}

	void pause(long now, int reason) {
		if (this.pauseReasons == 0) {
			this.pausedSince = now;
		}
		if (reason == PAUSED_BY_APP && (this.pauseReasons & PAUSED_BY_APP) == 0) {
			this.appPausedSince = now;
		}
		this.pauseReasons |= reason;
		this.bodyPaused = true;
	}

	/** Lifts one reason; the body flows again when none is left. */
	void resume(long now, int reason) {
		if ((this.pauseReasons & reason) == 0) {
			return;
		}
		this.pauseReasons &= ~reason;
		if (reason == PAUSED_BY_APP) {
			this.appPausedSince = -1;
		}
		if (this.pauseReasons == 0) {
			this.bodyPaused = false;
			this.pausedNanos += now - this.pausedSince;
			this.lastRead = now;
		}
	}

}
