package io.evhttp.spring.autoconfigure;

import io.evhttp.upload.UploadStore;
import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * {@link UploadStore#check()} for health checks, its result kept for a while: probes may
 * come every second, and each check of a remote store is a request to it.
 */
final class StoreCheck {

	/** How long a result is reused. */
	static final Duration TTL = Duration.ofSeconds(5);

	private final UploadStore store;

	private final long ttlNanos;

	private final LongSupplier nanoClock;

	private String failure;

	private long checkedAt;

	private boolean checked;

	StoreCheck(UploadStore store, Duration ttl, LongSupplier nanoClock) {
		this.store = store;
		this.ttlNanos = ttl.toNanos();
		this.nanoClock = nanoClock;
	}

	/**
	 * Why the store cannot take uploads now, or {@code null} when it can. Blocks while a
	 * check runs.
	 */
	synchronized String failure() {
		long now = this.nanoClock.getAsLong();
		if (!this.checked || now - this.checkedAt >= this.ttlNanos) {
			this.failure = run();
			this.checkedAt = now;
			this.checked = true;
		}
		return this.failure;
	}

	private String run() {
		try {
			this.store.check();
			return null;
		}
		catch (IOException | RuntimeException ex) {
			return (ex.getMessage() != null) ? ex.getMessage() : ex.toString();
		}
	}

}
