package io.evhttp.server;

import java.util.EnumSet;

/**
 * Timestamps and counters of one connection that {@link TimeoutPolicy} reads. Event loop
 * only.
 */
final class ConnectionTimes {

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

	/** The reasons that hold the body. */
	private final EnumSet<PauseReason> pauseReasons = EnumSet.noneOf(PauseReason.class);

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
		this.pauseReasons.clear();
		this.appPausedSince = -1;
		this.bodyTimeoutNanos = -1;
	}

	void pause(long now, PauseReason reason) {
		if (this.pauseReasons.isEmpty()) {
			this.pausedSince = now;
		}
		if (this.pauseReasons.add(reason) && reason == PauseReason.BY_APPLICATION) {
			this.appPausedSince = now;
		}
		this.bodyPaused = true;
	}

	/** Lifts one reason; the body flows again when none is left. */
	void resume(long now, PauseReason reason) {
		if (!this.pauseReasons.remove(reason)) {
			return;
		}
		if (reason == PauseReason.BY_APPLICATION) {
			this.appPausedSince = -1;
		}
		if (this.pauseReasons.isEmpty()) {
			this.bodyPaused = false;
			this.pausedNanos += now - this.pausedSince;
			this.lastRead = now;
		}
	}

}
