package io.evhttp.spring.autoconfigure;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs the events of one request in order, one at a time, on a shared executor, so a slow
 * listener holds up its own request's events only, never an event loop.
 */
final class SerialDispatcher<T> implements Runnable {

	private static final Log log = LogFactory.getLog(SerialDispatcher.class);

	private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private final Executor executor;

	private final Consumer<T> consumer;

	SerialDispatcher(Executor executor, Consumer<T> consumer) {
		this.executor = executor;
		this.consumer = consumer;
	}

	void submit(T item) {
		this.queue.add(item);
		if (this.scheduled.compareAndSet(false, true)) {
			this.executor.execute(this);
		}
	}

	@Override
	public void run() {
		do {
			T item;
			while ((item = this.queue.poll()) != null) {
				try {
					this.consumer.accept(item);
				}
				catch (RuntimeException ex) {
					log.warn("Upload event listener failed", ex);
				}
			}
			this.scheduled.set(false);
		}
		while (!this.queue.isEmpty() && this.scheduled.compareAndSet(false, true));
	}

}
