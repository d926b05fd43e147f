package io.evhttp.spring.autoconfigure;

import io.evhttp.resumable.LeaseUnavailableException;
import io.evhttp.resumable.NewUpload;
import io.evhttp.resumable.ResumableStore;
import io.evhttp.resumable.UploadAppend;
import io.evhttp.resumable.UploadInfo;
import io.evhttp.resumable.UploadLease;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A {@link ResumableStore} that times each call into the one it wraps and counts the
 * bytes appends commit. The per-buffer {@code write} is passed through untimed: it runs
 * on the event loop, where a timer per buffer would cost more than it tells.
 */
final class MeteredResumableStore implements ResumableStore {

	private final ResumableStore store;

	private final ResumableMeters meters;

	MeteredResumableStore(ResumableStore store, ResumableMeters meters) {
		this.store = store;
		this.meters = meters;
	}

	@Override
	public UploadInfo create(NewUpload upload) throws IOException {
		return timed("create", () -> this.store.create(upload));
	}

	@Override
	public UploadInfo read(String id) throws IOException {
		return timed("read", () -> this.store.read(id));
	}

	@Override
	public UploadLease lease(String id, Duration wait) throws IOException, LeaseUnavailableException {
		long start = System.nanoTime();
		boolean failed = true;
		try {
			UploadLease lease = this.store.lease(id, wait);
			failed = false;
			return (lease != null) ? new Lease(lease) : null;
		}
		finally {
			this.meters.storeCall("lease", System.nanoTime() - start, failed);
		}
	}

	@Override
	public URI location(String id) {
		return this.store.location(id);
	}

	@Override
	public InputStream open(String id) throws IOException {
		return timed("open", () -> this.store.open(id));
	}

	@Override
	public List<UploadInfo> expired(Instant now) throws IOException {
		return timed("expired", () -> this.store.expired(now));
	}

	private <T> T timed(String operation, Call<T> call) throws IOException {
		long start = System.nanoTime();
		boolean failed = true;
		try {
			T result = call.run();
			failed = false;
			return result;
		}
		finally {
			this.meters.storeCall(operation, System.nanoTime() - start, failed);
		}
	}

	@FunctionalInterface
	private interface Call<T> {

		T run() throws IOException;

	}

	private final class Lease implements UploadLease {

		private final UploadLease lease;

		Lease(UploadLease lease) {
			this.lease = lease;
		}

		@Override
		public UploadInfo info() {
			return this.lease.info();
		}

		@Override
		public void onStopRequested(Runnable stop) {
			this.lease.onStopRequested(stop);
		}

		@Override
		public UploadAppend append() throws IOException {
			return new Append(timed("append", this.lease::append));
		}

		@Override
		public UploadInfo declareLength(long length) throws IOException {
			return timed("declareLength", () -> this.lease.declareLength(length));
		}

		@Override
		public UploadInfo complete() throws IOException {
			return timed("complete", this.lease::complete);
		}

		@Override
		public void terminate() throws IOException {
			timed("terminate", () -> {
				this.lease.terminate();
				return null;
			});
		}

		@Override
		public void close() {
			this.lease.close();
		}

	}

	private final class Append implements UploadAppend {

		private final UploadAppend append;

		/** Bytes already counted: a commit may come more than once. */
		private long counted;

		Append(UploadAppend append) {
			this.append = append;
		}

		@Override
		public boolean write(ByteBuffer data) throws IOException {
			return this.append.write(data);
		}

		@Override
		public void onReady(Runnable ready) {
			this.append.onReady(ready);
		}

		@Override
		public long written() {
			return this.append.written();
		}

		@Override
		public UploadInfo commit() throws IOException {
			UploadInfo info = timed("commit", this.append::commit);
			long written = this.append.written();
			if (written > this.counted) {
				MeteredResumableStore.this.meters.received(written - this.counted);
				this.counted = written;
			}
			return info;
		}

		@Override
		public void discard() throws IOException {
			timed("discard", () -> {
				this.append.discard();
				return null;
			});
		}

	}

}
