package io.evhttp.resumable;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a resumable endpoint behaves.
 *
 * @param basePath path prefix of the endpoint, ending with {@code /}: creation at
 * {@code basePath}, uploads at {@code basePath + id} (default {@code /resumable/})
 * @param baseUrl absolute URL uploads are announced under ({@code Location}), ending with
 * {@code /}; {@code null}: {@code http://} + the request's {@code Host} + basePath
 * @param maxSize largest upload in bytes, -1 for none (tus {@code Tus-Max-Size}, draft
 * {@code max-size}; beyond: 413)
 * @param expiry lifetime of an upload from its creation, complete or not (tus
 * {@code Upload-Expires}, draft {@code max-age}); then it is swept
 * @param leaseWait longest wait for another request writing the same upload to stop (then
 * 423)
 * @param sweepInterval time between two sweeps of expired uploads; zero: no sweeps of its
 * own, the application calls {@link ResumableUploads#sweep}
 * @param executor where store calls and application hooks run (they may block);
 * {@code null}: the endpoint's own threads
 * @param clock time source of expiry (tests move it)
 */
public record ResumableOptions(String basePath, String baseUrl, long maxSize, Duration expiry, Duration leaseWait,
		Duration sweepInterval, Executor executor, Clock clock) {

	public ResumableOptions {
		Objects.requireNonNull(basePath, "basePath");
		if (!basePath.startsWith("/") || !basePath.endsWith("/")) {
			throw new IllegalArgumentException("basePath must start and end with /: " + basePath);
		}
		if (baseUrl != null && !baseUrl.endsWith("/")) {
			throw new IllegalArgumentException("baseUrl must end with /: " + baseUrl);
		}
		Objects.requireNonNull(expiry, "expiry");
		Objects.requireNonNull(leaseWait, "leaseWait");
		Objects.requireNonNull(sweepInterval, "sweepInterval");
		clock = (clock != null) ? clock : Clock.systemUTC();
	}

	/** Defaults: {@code /resumable/}, no size limit, 24 h expiry, 3 s lease wait. */
	public static ResumableOptions defaults() {
		return new ResumableOptions("/resumable/", null, -1, Duration.ofHours(24), Duration.ofSeconds(3),
				Duration.ofMinutes(1), null, null);
	}

	public ResumableOptions withBasePath(String basePath) {
		return new ResumableOptions(basePath, this.baseUrl, this.maxSize, this.expiry, this.leaseWait,
				this.sweepInterval, this.executor, this.clock);
	}

	public ResumableOptions withBaseUrl(String baseUrl) {
		return new ResumableOptions(this.basePath, baseUrl, this.maxSize, this.expiry, this.leaseWait,
				this.sweepInterval, this.executor, this.clock);
	}

	public ResumableOptions withMaxSize(long maxSize) {
		return new ResumableOptions(this.basePath, this.baseUrl, maxSize, this.expiry, this.leaseWait,
				this.sweepInterval, this.executor, this.clock);
	}

	public ResumableOptions withExpiry(Duration expiry) {
		return new ResumableOptions(this.basePath, this.baseUrl, this.maxSize, expiry, this.leaseWait,
				this.sweepInterval, this.executor, this.clock);
	}

	public ResumableOptions withLeaseWait(Duration leaseWait) {
		return new ResumableOptions(this.basePath, this.baseUrl, this.maxSize, this.expiry, leaseWait,
				this.sweepInterval, this.executor, this.clock);
	}

	public ResumableOptions withSweepInterval(Duration sweepInterval) {
		return new ResumableOptions(this.basePath, this.baseUrl, this.maxSize, this.expiry, this.leaseWait,
				sweepInterval, this.executor, this.clock);
	}

	public ResumableOptions withExecutor(Executor executor) {
		return new ResumableOptions(this.basePath, this.baseUrl, this.maxSize, this.expiry, this.leaseWait,
				this.sweepInterval, executor, this.clock);
	}

	public ResumableOptions withClock(Clock clock) {
		return new ResumableOptions(this.basePath, this.baseUrl, this.maxSize, this.expiry, this.leaseWait,
				this.sweepInterval, this.executor, clock);
	}

}
