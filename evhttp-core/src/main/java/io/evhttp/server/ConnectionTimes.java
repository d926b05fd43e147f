package io.evhttp.server;

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

	boolean bodyPaused;

	/** The request's own body timeout, or -1 for the server's. */
	long bodyTimeoutNanos = -1;

	long pausedSince;

	long pausedNanos;

	boolean writePending;

	long lastWrite;

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
		this.bodyTimeoutNanos = -1;
	}

	void pause(long now) {
		if (!this.bodyPaused) {
			this.bodyPaused = true;
			this.pausedSince = now;
		}
	}

	void resume(long now) {
		if (this.bodyPaused) {
			this.bodyPaused = false;
			this.pausedNanos += now - this.pausedSince;
			this.lastRead = now;
		}
	}

}
