package io.evhttp.server;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/**
 * Counters of a server, cheap enough to keep always (one {@link LongAdder} add per read),
 * read by metrics and health endpoints from any thread.
 */
public final class ServerStats {

	private final LongAdder bytesReceived = new LongAdder();

	private final LongAdder requests = new LongAdder();

	private final AtomicInteger activeUploads = new AtomicInteger();

	private final Map<Integer, LongAdder> rejected = new ConcurrentHashMap<>();

	private final List<IntConsumer> newRejectionStatus = new CopyOnWriteArrayList<>();

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

	/** Requests refused with {@code status} so far. */
	public long rejected(int status) {
		LongAdder count = this.rejected.get(status);
		return (count != null) ? count.sum() : 0;
	}

	/**
	 * Tells {@code listener} of each status the first time a request is refused with it
	 * (any status an {@code onHead} may choose), so that a meter per status can be made
	 * when it is first needed. Called on the thread that refused.
	 */
	public void onNewRejectionStatus(IntConsumer listener) {
		this.newRejectionStatus.add(listener);
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
		LongAdder count = this.rejected.get(status);
		if (count == null) {
			LongAdder created = new LongAdder();
			count = this.rejected.putIfAbsent(status, created);
			if (count == null) {
				count = created;
				this.newRejectionStatus.forEach((listener) -> listener.accept(status));
			}
		}
		count.increment();
	}

}
