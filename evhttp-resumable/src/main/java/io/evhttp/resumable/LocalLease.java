package io.evhttp.resumable;

import java.io.IOException;
import java.nio.file.Path;

/** A lease on one upload of a {@link LocalResumableStore}. */
final class LocalLease implements UploadLease {

	private final LocalResumableStore store;

	private final LocalLeases.Holder holder;

	private volatile UploadInfo info;

	private volatile boolean closed;

	LocalLease(LocalResumableStore store, LocalLeases.Holder holder, UploadInfo info) {
		this.store = store;
		this.holder = holder;
		this.info = info;
	}

	@Override
	public UploadInfo info() {
		return this.info;
	}

	@Override
	public void onStopRequested(Runnable stop) {
		this.holder.onStopRequested(stop);
	}

	@Override
	public UploadAppend append() throws IOException {
		checkOpen();
		return new LocalAppend(this, this.store.dataFile(this.info.id()), this.info.offset());
	}

	@Override
	public UploadInfo declareLength(long length) throws IOException {
		return save(this.info.withLength(length));
	}

	@Override
	public UploadInfo complete() throws IOException {
		return save(this.info.completed());
	}

	@Override
	public void terminate() throws IOException {
		checkOpen();
		try {
			this.store.delete(this.info.id());
		}
		finally {
			close();
		}
	}

	@Override
	public void close() {
		if (!this.closed) {
			this.closed = true;
			this.store.release(this.info.id(), this.holder);
		}
	}

	/** Moves the offset past bytes that are on disk. */
	UploadInfo committed(long offset) throws IOException {
		return save(this.info.withOffset(offset, this.info.expiresAt()));
	}

	Path dataFile() {
		return this.store.dataFile(this.info.id());
	}

	private UploadInfo save(UploadInfo next) throws IOException {
		checkOpen();
		StateFile.write(this.store.stateFile(next.id()), next);
		this.info = next;
		return next;
	}

	private void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException("lease of " + this.info.id() + " released");
		}
	}

}
