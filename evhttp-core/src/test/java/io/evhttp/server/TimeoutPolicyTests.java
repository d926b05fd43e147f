package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.server.Connection.Phase;
import io.evhttp.server.TimeoutPolicy.Verdict;
import org.junit.jupiter.api.Test;

/** Timeouts decided on a fake clock: seconds as nanoseconds. */
class TimeoutPolicyTests {

	private static final long S = 1_000_000_000L;

	private final TimeoutPolicy policy = new TimeoutPolicy(10 * S, 30 * S, 240, 10 * S, 240);

	@Test
	void idleKeepAliveConnectionClosesQuietlyAfterKeepAliveTimeout() {
		ConnectionTimes t = new ConnectionTimes();
		t.startIdle(0);
		assertThat(this.policy.check(Phase.READING_HEAD, t, 30 * S)).isEqualTo(Verdict.NONE);
		assertThat(this.policy.check(Phase.READING_HEAD, t, 31 * S)).isEqualTo(Verdict.CLOSE);
	}

	@Test
	void aHeadTricklingOneByteEveryFewSecondsStillTimesOutAsAWhole() {
		ConnectionTimes t = new ConnectionTimes();
		t.startIdle(0);
		t.headStart = 1 * S;
		for (long now = 2 * S; now <= 11 * S; now += 2 * S) {
			t.lastRead = now; // a byte arrives every 2 s
			assertThat(this.policy.check(Phase.READING_HEAD, t, now)).as("at %d s", now / S).isEqualTo(Verdict.NONE);
		}
		t.lastRead = 12 * S;
		assertThat(this.policy.check(Phase.READING_HEAD, t, 12 * S)).isEqualTo(Verdict.REQUEST_TIMEOUT);
	}

	@Test
	void bodyTimesOutAfterInactivity() {
		ConnectionTimes t = new ConnectionTimes();
		t.startBody(0);
		t.bodyBytes = 1_000_000;
		t.lastRead = 5 * S;
		assertThat(this.policy.check(Phase.READING_BODY, t, 15 * S)).isEqualTo(Verdict.NONE);
		assertThat(this.policy.check(Phase.READING_BODY, t, 16 * S)).isEqualTo(Verdict.REQUEST_TIMEOUT);
	}

	@Test
	void bodyTricklingUnderTheMinimumRateTimesOutAfterTheGracePeriod() {
		ConnectionTimes t = new ConnectionTimes();
		t.startBody(0);
		for (long s = 1; s <= 20; s++) {
			t.lastRead = s * S;
			t.bodyBytes = s * 200; // 200 bytes/s, under 240
			Verdict v = this.policy.check(Phase.READING_BODY, t, s * S);
			assertThat(v).as("at %d s", s).isEqualTo((s <= 10) ? Verdict.NONE : Verdict.REQUEST_TIMEOUT);
		}
	}

	@Test
	void slowButHonestUploadIsNeverCut() {
		ConnectionTimes t = new ConnectionTimes();
		t.startBody(0);
		for (long s = 1; s <= 3600; s++) {
			t.lastRead = s * S;
			t.bodyBytes = s * 20_000; // a phone at 20 KB/s for an hour
			assertThat(this.policy.check(Phase.READING_BODY, t, s * S)).isEqualTo(Verdict.NONE);
		}
	}

	@Test
	void timePausedByTheApplicationDoesNotCount() {
		ConnectionTimes t = bodyWith2400BytesBy5s();
		t.pause(5 * S, PauseReason.BY_APPLICATION);
		assertThat(this.policy.check(Phase.READING_BODY, t, 14 * S)).isEqualTo(Verdict.NONE);
		t.resume(14 * S, PauseReason.BY_APPLICATION);
		// 18 s since the start, 9 of them paused: under the grace, so no rate check yet
		assertThat(this.policy.check(Phase.READING_BODY, t, 18 * S)).isEqualTo(Verdict.NONE);
		assertThat(this.policy.check(Phase.READING_BODY, t, 20 * S)).isEqualTo(Verdict.REQUEST_TIMEOUT);
	}

	@Test
	void applicationPauseLongerThanTheTimeoutGets408() {
		ConnectionTimes t = bodyWith2400BytesBy5s();
		t.pause(5 * S, PauseReason.BY_APPLICATION);
		assertThat(this.policy.check(Phase.READING_BODY, t, 15 * S)).isEqualTo(Verdict.NONE);
		assertThat(this.policy.check(Phase.READING_BODY, t, 15 * S + 1)).isEqualTo(Verdict.REQUEST_TIMEOUT);
	}

	@Test
	void serverPausesAreNotBoundedByTheTimeout() {
		ConnectionTimes t = new ConnectionTimes();
		t.startBody(0);
		t.pause(1 * S, PauseReason.FILE_OPENING);
		t.pause(2 * S, PauseReason.SINK_FULL);
		assertThat(this.policy.check(Phase.READING_BODY, t, 100 * S)).isEqualTo(Verdict.NONE);
		// the application's pause is bounded from its own start, not the first reason's
		t.pause(100 * S, PauseReason.BY_APPLICATION);
		assertThat(this.policy.check(Phase.READING_BODY, t, 110 * S)).isEqualTo(Verdict.NONE);
		assertThat(this.policy.check(Phase.READING_BODY, t, 111 * S)).isEqualTo(Verdict.REQUEST_TIMEOUT);
	}

	@Test
	void bodyStaysPausedUntilEveryReasonIsLifted() {
		ConnectionTimes t = bodyWith2400BytesBy5s();
		t.pause(5 * S, PauseReason.FILE_OPENING);
		t.pause(6 * S, PauseReason.BY_APPLICATION);
		t.resume(7 * S, PauseReason.FILE_OPENING);
		assertThat(t.bodyPaused).isTrue();
		assertThat(this.policy.check(Phase.READING_BODY, t, 15 * S)).isEqualTo(Verdict.NONE);
		t.resume(15 * S, PauseReason.SINK_FULL);
		assertThat(t.bodyPaused).isTrue();
		t.resume(15 * S, PauseReason.BY_APPLICATION);
		assertThat(t.bodyPaused).isFalse();
		assertThat(this.policy.check(Phase.READING_BODY, t, 19 * S)).isEqualTo(Verdict.NONE);
		assertThat(this.policy.check(Phase.READING_BODY, t, 26 * S)).isEqualTo(Verdict.REQUEST_TIMEOUT);
	}

	@Test
	void requestsOwnBodyTimeoutReplacesTheServersTimeoutAndGrace() {
		ConnectionTimes t = new ConnectionTimes();
		t.startBody(0);
		t.bodyTimeoutNanos = 100 * S;
		t.lastRead = 0;
		t.bodyBytes = 100 * 240;
		assertThat(this.policy.check(Phase.READING_BODY, t, 50 * S)).isEqualTo(Verdict.NONE);
		assertThat(this.policy.check(Phase.READING_BODY, t, 101 * S)).isEqualTo(Verdict.REQUEST_TIMEOUT);
	}

	@Test
	void zeroTurnsChecksOff() {
		TimeoutPolicy off = new TimeoutPolicy(0, 0, 0, 0, 0);
		ConnectionTimes t = new ConnectionTimes();
		t.startIdle(0);
		assertThat(off.check(Phase.READING_HEAD, t, 1_000_000 * S)).isEqualTo(Verdict.NONE);
		t.headStart = 0;
		assertThat(off.check(Phase.READING_HEAD, t, 1_000_000 * S)).isEqualTo(Verdict.NONE);
		t.startBody(0);
		assertThat(off.check(Phase.READING_BODY, t, 1_000_000 * S)).isEqualTo(Verdict.NONE);
	}

	@Test
	void responseToAClientThatStoppedReadingIsAbandonedAfterTheTimeout() {
		ConnectionTimes t = new ConnectionTimes();
		t.writePending = true;
		t.lastWrite = 0;
		assertThat(this.policy.check(Phase.HANDLING, t, 10 * S)).isEqualTo(Verdict.NONE);
		assertThat(this.policy.check(Phase.HANDLING, t, 11 * S)).isEqualTo(Verdict.CLOSE);
	}

	@Test
	void responseTakenAtATrickleIsAbandonedOnceTheGracePeriodIsOver() {
		ConnectionTimes t = new ConnectionTimes();
		t.writePending = true;
		t.writeStart = 0;
		t.writeBytes = 100 * 20; // 100 B/s: progress, but under the 240 B/s minimum
		t.lastWrite = 20 * S - 1;
		assertThat(this.policy.check(Phase.HANDLING, t, 20 * S)).isEqualTo(Verdict.CLOSE);
		t.writeBytes = 480 * 20;
		assertThat(this.policy.check(Phase.HANDLING, t, 20 * S)).isEqualTo(Verdict.NONE);
	}

	@Test
	void slowResponseIsNotJudgedWithinTheGracePeriodOrWithTheRateOff() {
		ConnectionTimes t = new ConnectionTimes();
		t.writePending = true;
		t.writeStart = 0;
		t.lastWrite = 9 * S;
		assertThat(this.policy.check(Phase.HANDLING, t, 9 * S)).isEqualTo(Verdict.NONE);
		TimeoutPolicy rateOff = new TimeoutPolicy(10 * S, 30 * S, 240, 10 * S, 0);
		t.lastWrite = 100 * S;
		assertThat(rateOff.check(Phase.HANDLING, t, 100 * S)).isEqualTo(Verdict.NONE);
	}

	/**
	 * A body started at 0 s that got 2,400 bytes by 5 s: 480 B/s, over the 240 minimum.
	 */
	private static ConnectionTimes bodyWith2400BytesBy5s() {
		ConnectionTimes t = new ConnectionTimes();
		t.startBody(0);
		t.bodyBytes = 2400;
		t.lastRead = 5 * S;
		return t;
	}

}
