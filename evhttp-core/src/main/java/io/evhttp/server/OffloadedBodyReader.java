package io.evhttp.server;

import io.evhttp.http.HttpException;
import io.evhttp.upload.UploadedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The executor disk-write mode (the seed's AIO backend): body bytes are copied off the
 * loop's read buffer and decoded and written by another reader on an executor, one task
 * at a time per request, so a slow disk never holds up an event loop. Upload callbacks
 * still run on the loop, in order. Reading pauses while more than {@link #HIGH_WATER}
 * bytes wait for the disk and resumes below {@link #LOW_WATER}; the handler runs once
 * everything is on disk.
 */
final class OffloadedBodyReader implements BodyReader {

	static final long HIGH_WATER = 1024 * 1024;

	static final long LOW_WATER = 256 * 1024;

	private final Connection connection;

	private final Request request;

	private final Executor executor;

	private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private final AtomicLong queued = new AtomicLong();

	private final BodyReader delegate;

	private volatile boolean aborted;

	private boolean pausedForDisk;

	OffloadedBodyReader(Connection connection, Request request, Executor executor,
			java.util.function.Function<UploadContext, BodyReader> readerFactory, UploadContext context) {
		this.connection = connection;
		this.request = request;
		this.executor = executor;
		this.delegate = readerFactory.apply(new UploadContext(context.options(), context.store(),
				new LoopCallbacks(context.uploads()), context.fileOpens()));
	}

	@Override
	public void onData(ByteBuffer data) {
		int n = data.remaining();
		ByteBuffer copy = ByteBuffer.allocate(n).put(data).flip();
		if (this.queued.addAndGet(n) > HIGH_WATER && !this.pausedForDisk) {
			this.pausedForDisk = true;
			this.connection.pauseBody(this.request, ConnectionTimes.PAUSED_FOR_DISK);
		}
		submit(false, () -> {
			this.delegate.onData(copy);
			if (this.queued.addAndGet(-n) < LOW_WATER) {
				this.connection.execute(this::resumeIfPaused);
			}
		});
	}

	@Override
	public void onEnd() {
		submit(false, () -> {
			this.delegate.onEnd();
			this.connection.execute(() -> {
				if (!this.aborted) {
					this.connection.onOffloadedBodyDone(this.request);
				}
			});
		});
	}

	@Override
	public boolean completesLater() {
		return true;
	}

	@Override
	public void abort() {
		this.aborted = true;
		submit(true, this.delegate::abort);
	}

	@Override
	public boolean writesFiles() {
		return this.delegate.writesFiles();
	}

	private void resumeIfPaused() {
		if (this.pausedForDisk && !this.aborted) {
			this.pausedForDisk = false;
			this.connection.resumeBody(this.request, ConnectionTimes.PAUSED_FOR_DISK);
		}
	}

	/** Body steps that may throw: on the executor, in order. */
	@FunctionalInterface
	private interface Step {

		void run() throws IOException;

	}

	private void submit(boolean evenIfAborted, Step step) {
		this.tasks.add(() -> {
			if (this.aborted && !evenIfAborted) {
				return;
			}
			try {
				step.run();
			}
			catch (IOException | RuntimeException ex) {
				failOnLoop(BodyReader.failure(ex));
			}
		});
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

	private void failOnLoop(HttpException ex) {
		this.aborted = true;
		this.delegate.abort(); // on the worker, which owns the delegate
		this.connection.execute(() -> this.connection.failFromWorker(this.request, ex));
	}

	/**
	 * Hands each callback to the event loop, in order, unless the request failed
	 * meanwhile.
	 */
	private final class LoopCallbacks implements UploadListener {

		private final UploadListener target;

		LoopCallbacks(UploadListener target) {
			this.target = target;
		}

		private void onLoop(Runnable callback) {
			OffloadedBodyReader.this.connection.execute(() -> {
				if (!OffloadedBodyReader.this.aborted) {
					callback.run();
				}
			});
		}

		@Override
		public void onFileOpen(Request request, UploadedFile file) {
			onLoop(() -> this.target.onFileOpen(request, file));
		}

		@Override
		public boolean wantsFileWrites(Request request) {
			return this.target.wantsFileWrites(request);
		}

		@Override
		public void onFileWrite(Request request, UploadedFile file, ByteBuffer chunk) {
			onLoop(() -> this.target.onFileWrite(request, file, chunk));
		}

		@Override
		public void onFileReceived(Request request, UploadedFile file) {
			onLoop(() -> this.target.onFileReceived(request, file));
		}

	}

}
