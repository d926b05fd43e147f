package io.evhttp.upload;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sink whose writes run on an executor, in order, one task at a time: see
 * {@link OffloadedStore}. A failed write discards the file at once; the failure is kept,
 * thrown by the next {@link #write} and ends {@link #finish}, and later writes are
 * dropped.
 */
final class OffloadedSink implements UploadSink {

	static final long HIGH_WATER = 1024 * 1024;

	static final long LOW_WATER = 256 * 1024;

	/** A write step that may fail. */
	@FunctionalInterface
	private interface Step {

		void run() throws IOException;

	}

	private final UploadSink delegate;

	private final Executor executor;

	private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private final AtomicLong queued = new AtomicLong();

	private volatile Runnable ready;

	private volatile IOException failure;

	private volatile boolean discarded;

	OffloadedSink(UploadSink delegate, Executor executor) {
		this.delegate = delegate;
		this.executor = executor;
	}

	@Override
	public URI location() {
		return this.delegate.location();
	}

	@Override
	public Path path() {
		return this.delegate.path();
	}

	@Override
	public URI keep(String name) throws IOException {
		return this.delegate.keep(name);
	}

	@Override
	public Map<String, String> attributes() {
		return this.delegate.attributes();
	}

	@Override
	public boolean write(ByteBuffer data) throws IOException {
		IOException failed = this.failure;
		if (failed != null) {
			throw failed;
		}
		int n = data.remaining();
		ByteBuffer copy = ByteBuffer.allocate(n).put(data).flip();
		long waiting = this.queued.addAndGet(n);
		submit(() -> {
			try {
				if (this.failure == null) {
					this.delegate.write(copy);
				}
			}
			finally {
				if (this.queued.addAndGet(-n) < LOW_WATER) {
					wake();
				}
			}
		});
		return waiting <= HIGH_WATER;
	}

	@Override
	public void onReady(Runnable ready) {
		this.ready = ready;
		if (this.queued.get() < LOW_WATER) {
			this.ready = null;
			ready.run();
		}
	}

	@Override
	public CompletionStage<Void> finish() {
		CompletableFuture<Void> done = new CompletableFuture<>();
		submit(() -> {
			IOException failed = this.failure;
			if (failed != null) {
				done.completeExceptionally(failed);
				return;
			}
			this.delegate.finish().whenComplete((ok, ex) -> {
				if (ex != null) {
					done.completeExceptionally(ex);
				}
				else {
					done.complete(null);
				}
			});
		});
		return done;
	}

	@Override
	public void discard() {
		this.discarded = true;
		this.tasks.add(this.delegate::discard);
		schedule();
	}

	private void submit(Step step) {
		this.tasks.add(() -> {
			if (this.discarded) {
				return;
			}
			try {
				step.run();
			}
			catch (IOException ex) {
				// removed before anyone hears of the failure: the answer finds nothing
				// left
				this.delegate.discard();
				if (this.failure == null) {
					this.failure = ex;
				}
				wake(); // the next write, or finish, reports it
			}
		});
		schedule();
	}

	private void wake() {
		Runnable callback = this.ready;
		this.ready = null;
		if (callback != null) {
			callback.run();
		}
	}

	private void schedule() {
		if (this.scheduled.compareAndSet(false, true)) {
			this.executor.execute(this::drain);
		}
	}

	private void drain() {
		do {
			Runnable task;
			while ((task = this.tasks.poll()) != null) {
				task.run();
			}
			this.scheduled.set(false);
		}
		while (!this.tasks.isEmpty() && this.scheduled.compareAndSet(false, true));
	}

}
