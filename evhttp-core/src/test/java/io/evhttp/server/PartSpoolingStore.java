package io.evhttp.server;

import io.evhttp.upload.LocalDiskStore;
import io.evhttp.upload.UploadSink;
import io.evhttp.upload.UploadStore;
import io.evhttp.upload.UploadTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A store shaped like an object store's multipart upload, for tests: bytes fill a small
 * part on the heap; a full part is "uploaded" (written to a local file) on the store's
 * own thread while the next one fills; while a part is in flight and the next is full,
 * the sink takes no more, and the server must wait for {@link UploadSink#onReady}.
 * {@code finish} completes later, on that thread.
 */
final class PartSpoolingStore implements UploadStore, AutoCloseable {

	static final int PART_BYTES = 16 * 1024;

	private final LocalDiskStore files;

	private final ExecutorService uploader = Executors.newSingleThreadExecutor();

	PartSpoolingStore(Path directory) {
		this.files = new LocalDiskStore(directory);
	}

	@Override
	public UploadSink create(UploadTarget target) throws IOException {
		return new Sink(this.files.create(target));
	}

	@Override
	public void close() {
		this.uploader.shutdownNow();
	}

	private final class Sink implements UploadSink {

		private final UploadSink object;

		private ByteBuffer part = ByteBuffer.allocate(PART_BYTES);

		/** The part being uploaded, or {@code null}; guarded by this sink. */
		private CompletableFuture<Void> inFlight;

		private Runnable ready;

		Sink(UploadSink object) {
			this.object = object;
		}

		@Override
		public URI location() {
			return this.object.location();
		}

		@Override
		public Path path() {
			return this.object.path();
		}

		@Override
		public synchronized boolean write(ByteBuffer data) {
			while (data.hasRemaining()) {
				if (!this.part.hasRemaining()) {
					ByteBuffer grown = ByteBuffer.allocate(this.part.capacity() + data.remaining());
					this.part = grown.put(this.part.flip());
				}
				int n = Math.min(this.part.remaining(), data.remaining());
				this.part.put(data.slice(data.position(), n));
				data.position(data.position() + n);
			}
			if (this.part.position() < PART_BYTES) {
				return true;
			}
			if (this.inFlight == null) {
				upload();
				return true;
			}
			return false;
		}

		/** Sends the filled part on the uploader thread; called holding the lock. */
		private void upload() {
			ByteBuffer bytes = this.part.flip();
			this.part = ByteBuffer.allocate(PART_BYTES);
			CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
				try {
					this.object.write(bytes);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}, PartSpoolingStore.this.uploader);
			this.inFlight = sent; // before the callback, which may run at once
			sent.whenComplete((ok, ex) -> uploaded());
		}

		private void uploaded() {
			Runnable callback;
			synchronized (this) {
				this.inFlight = null;
				if (this.part.position() >= PART_BYTES) {
					upload();
				}
				callback = (this.inFlight == null) ? this.ready : null;
				if (callback != null) {
					this.ready = null;
				}
			}
			if (callback != null) {
				callback.run();
			}
		}

		@Override
		public void onReady(Runnable ready) {
			synchronized (this) {
				if (this.inFlight != null) {
					this.ready = ready;
					return;
				}
			}
			ready.run();
		}

		@Override
		public CompletionStage<Void> finish() {
			CompletableFuture<Void> previous;
			ByteBuffer tail;
			synchronized (this) {
				previous = (this.inFlight != null) ? this.inFlight : CompletableFuture.completedFuture(null);
				tail = this.part.flip();
			}
			return previous.thenRunAsync(() -> {
				try {
					this.object.write(tail);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}, PartSpoolingStore.this.uploader).thenCompose((ok) -> this.object.finish());
		}

		@Override
		public void discard() {
			PartSpoolingStore.this.uploader.execute(this.object::discard);
		}

	}

}
