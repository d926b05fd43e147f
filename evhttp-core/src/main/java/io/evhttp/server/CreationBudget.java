package io.evhttp.server;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * How long one pass of an event loop over its ready connections may spend creating files.
 * A store that creates quickly (the local disk, S3's spool files) creates on the loop:
 * handing each file to another thread and back costs more than the creation, and a second
 * thread creating in the same directory contends with the loop for it. But a file system
 * can turn slow (ext4 without a journal scans past every inode freed in the last minute;
 * a network mount waits for its server), and a storm of new uploads would then stall
 * every other connection of the loop. So creations past {@link #PASS_NANOS} in one pass
 * wait, in order, for the next passes; each pass starts with them, and the connections
 * between passes are served.
 *
 * <pre>
 *   pass: deferred creations, within the budget --&gt; ready connections (creating at once
 *         while the budget lasts, else deferring) --&gt; tasks
 * </pre>
 *
 * One per event loop, bound to its thread; any other thread creates at once.
 */
final class CreationBudget {

	/**
	 * Time one pass may spend creating files: far above what a busy pass spends on a file
	 * system in good health, so that only a stall defers anything. At 2 ms, small forms
	 * from 64 connections on tmpfs lost a third of their throughput.
	 */
	static final long PASS_NANOS = 10_000_000;

	private static final ThreadLocal<CreationBudget> LOOP = new ThreadLocal<>();

	private final LongSupplier clock;

	private final ArrayDeque<Runnable> deferred = new ArrayDeque<>();

	private long spent;

	CreationBudget(LongSupplier clock) {
		this.clock = clock;
	}

	/** The calling event loop's budget, or {@code null} on any other thread. */
	static CreationBudget ofThisThread() {
		return LOOP.get();
	}

	/** Makes this the calling thread's budget: an event loop's, as it starts. */
	void bindToThisThread() {
		LOOP.set(this);
	}

	void unbind() {
		LOOP.remove();
	}

	/**
	 * Starts a pass: creations deferred by earlier passes run first, within its budget.
	 */
	void newPass() {
		this.spent = 0;
		while (!this.deferred.isEmpty() && this.spent < PASS_NANOS) {
			run(this.deferred.poll());
		}
	}

	/**
	 * Whether a creation may run now. Those deferred ran first in this pass, so one that
	 * still finds budget left takes nothing from them.
	 */
	boolean allowsNow() {
		return this.spent < PASS_NANOS;
	}

	/** Runs a creation now, counting its time against the pass. */
	void run(Runnable creation) {
		long started = this.clock.getAsLong();
		try {
			creation.run();
		}
		finally {
			this.spent += this.clock.getAsLong() - started;
		}
	}

	/** Queues a creation for the next passes. */
	void defer(Runnable creation) {
		this.deferred.add(creation);
	}

	/** Whether creations wait: the loop must not block in its next select. */
	boolean hasDeferred() {
		return !this.deferred.isEmpty();
	}

}
