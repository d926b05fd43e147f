package io.evhttp.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a server, cheap enough to keep always (one {@link LongAdder} add per read),
 * read by metrics and health endpoints from any thread.
 */
public final class ServerStats {

	private final LongAdder bytesReceived = new LongAdder();

	private final LongAdder requests = new LongAdder();

	private final AtomicInteger activeUploads = new AtomicInteger();

	private final Map<Integer, LongAdder> rejected = new ConcurrentHashMap<>();

	ServerStats() {
	}

	/** Bytes read from all connections. */
	public long bytesReceived() {
		return this.bytesReceived.sum();
	}

	/** Requests answered by a handler. */
	public long requests() {
		return this.requests.sum();
	}

	/** Requests whose body is being received now. */
	public int activeUploads() {
		return this.activeUploads.get();
	}

	/** Requests refused, by the status answered (499: client gone or dropped). */
	public Map<Integer, Long> rejected() {
		Map<Integer, Long> snapshot = new TreeMap<>();
		this.rejected.forEach((status, count) -> snapshot.put(status, count.sum()));
		return snapshot;
	}

	void onBytes(long n) {
		this.bytesReceived.add(n);
	}

	void onRequestHandled() {
		this.requests.increment();
	}

	void onUploadStarted() {
		this.activeUploads.incrementAndGet();
	}

	void onUploadEnded() {
		this.activeUploads.decrementAndGet();
	}

	void onRejected(int status) {
		this.rejected.computeIfAbsent(status, (s) -> new LongAdder()).increment();
	}

}
