package io.evhttp.resumable;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Write leases of one process: one holder per upload id. A newcomer asks the holder to
 * stop and waits for its release, at most as long as it was told (then 423).
 */
final class LocalLeases {

	private final ConcurrentHashMap<String, Holder> holders = new ConcurrentHashMap<>();

	private final LongAdder takeovers = new LongAdder();

	/** One holding of one upload's lease. */
	static final class Holder {

		private final CountDownLatch released = new CountDownLatch(1);

		private volatile Runnable stop;

		private volatile boolean stopRequested;

		void onStopRequested(Runnable stop) {
			this.stop = stop;
			if (this.stopRequested) {
				stop.run();
			}
		}

		private void requestStop() {
			this.stopRequested = true;
			Runnable s = this.stop;
			if (s != null) {
				s.run();
			}
		}

	}

	Holder acquire(String id, Duration wait) throws LeaseUnavailableException {
		long deadline = System.nanoTime() + wait.toNanos();
		boolean held = false;
		while (true) {
			Holder mine = new Holder();
			Holder current = this.holders.putIfAbsent(id, mine);
			if (current == null) {
				if (held) {
					this.takeovers.increment();
				}
				return mine;
			}
			held = true;
			current.requestStop();
			long left = deadline - System.nanoTime();
			try {
				if (left <= 0 || !current.released.await(left, TimeUnit.NANOSECONDS)) {
					throw new LeaseUnavailableException(id);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new LeaseUnavailableException(id);
			}
		}
	}

	long takeovers() {
		return this.takeovers.sum();
	}

	void release(String id, Holder holder) {
		if (this.holders.remove(id, holder)) {
			holder.released.countDown();
		}
	}

}
