package io.evhttp.server;

/**
 * Decides when a connection has waited too long, from timestamps the connection records
 * (nanoseconds from any fixed origin, so tests pass their own).
 *
 * <ul>
 * <li>Idle between requests: closed quietly after {@code keepAlive}.</li>
 * <li>Receiving a head: the whole head must arrive within {@code timeout} of its first
 * byte, so a byte every few seconds cannot hold a connection (slowloris): 408.</li>
 * <li>Receiving a body: 408 when no byte came for {@code timeout}, or when, after
 * {@code grace}, the average rate is under {@code minRate} bytes per second (as Kestrel's
 * {@code MinRequestBodyDataRate}). Time spent paused does not count; but a pause by the
 * application longer than the timeout gets 408 too, so that a forgotten
 * {@code resumeBody()}, or a client gone meanwhile (unseen while nothing is read), cannot
 * hold the connection and its files for ever.</li>
 * <li>Writing a response: closed when the client took no byte for {@code timeout}, or
 * when, after {@code grace}, it takes what waits for it at under {@code minResponseRate}
 * bytes per second (as Kestrel's {@code MinResponseDataRate}): a client reading a trickle
 * (slowhttptest's slow read) would otherwise hold its connection for as long as it
 * likes.</li>
 * </ul>
 * A zero duration or rate turns its check off.
 *
 * @param timeoutNanos the request timeout
 * @param keepAliveNanos the idle timeout between requests
 * @param minRate bytes per second
 * @param graceNanos time before the rates are checked
 * @param minResponseRate bytes per second
 */
record TimeoutPolicy(long timeoutNanos, long keepAliveNanos, long minRate, long graceNanos, long minResponseRate) {

	/**
	 * How long a refused request's remaining input is read and discarded before closing.
	 */
	static final long DRAIN_NANOS = 2_000_000_000L;

	/** What to do with a connection. */
	enum Verdict {

		NONE, CLOSE, REQUEST_TIMEOUT

	}

	static TimeoutPolicy of(ServerOptions options) {
		ServerOptions.Timeouts t = options.timeouts();
		return new TimeoutPolicy(t.timeout().toNanos(), t.keepAliveTimeout().toNanos(), t.minBodyRate(),
				t.bodyRateGraceOrTimeout().toNanos(), t.minResponseRate());
	}

	Verdict check(Connection.Phase phase, ConnectionTimes t, long now) {
		return switch (phase) {
			case READING_HEAD -> checkHead(t, now);
			case READING_BODY -> checkBody(t, now);
			case HANDLING -> checkWrite(t, now);
			case DRAINING -> expired(t.drainStart, DRAIN_NANOS, now) ? Verdict.CLOSE : Verdict.NONE;
			case CLOSED -> Verdict.NONE;
		};
	}

	private Verdict checkHead(ConnectionTimes t, long now) {
		if (t.headStart < 0) {
			return expired(t.idleSince, this.keepAliveNanos, now) ? Verdict.CLOSE : Verdict.NONE;
		}
		return expired(t.headStart, this.timeoutNanos, now) ? Verdict.REQUEST_TIMEOUT : Verdict.NONE;
	}

	private Verdict checkBody(ConnectionTimes t, long now) {
		long timeout = (t.bodyTimeoutNanos >= 0) ? t.bodyTimeoutNanos : this.timeoutNanos;
		if (t.bodyPaused) {
			boolean heldTooLong = t.appPausedSince >= 0 && expired(t.appPausedSince, timeout, now);
			return heldTooLong ? Verdict.REQUEST_TIMEOUT : Verdict.NONE;
		}
		long grace = (t.bodyTimeoutNanos >= 0) ? t.bodyTimeoutNanos : this.graceNanos;
		if (expired(t.lastRead, timeout, now)) {
			return Verdict.REQUEST_TIMEOUT;
		}
		long elapsed = now - t.bodyStart - t.pausedNanos;
		if (this.minRate > 0 && elapsed > grace && elapsed > 0) {
			double seconds = elapsed / 1e9;
			if (t.bodyBytes < this.minRate * seconds) {
				return Verdict.REQUEST_TIMEOUT;
			}
		}
		return Verdict.NONE;
	}

	private Verdict checkWrite(ConnectionTimes t, long now) {
		if (!t.writePending) {
			return Verdict.NONE;
		}
		if (expired(t.lastWrite, this.timeoutNanos, now)) {
			return Verdict.CLOSE;
		}
		long elapsed = now - t.writeStart;
		boolean slow = this.minResponseRate > 0 && elapsed > this.graceNanos
				&& t.writeBytes < this.minResponseRate * (elapsed / 1e9);
		return slow ? Verdict.CLOSE : Verdict.NONE;
	}

	private static boolean expired(long since, long limit, long now) {
		return limit > 0 && now - since > limit;
	}

}
