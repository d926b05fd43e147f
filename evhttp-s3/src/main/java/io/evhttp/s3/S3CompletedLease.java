package io.evhttp.s3;

import io.evhttp.resumable.UploadAppend;
import io.evhttp.resumable.UploadInfo;
import io.evhttp.resumable.UploadLease;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A lease on a complete upload whose state lives on its object: nothing about it changes
 * any more but its removal, which is idempotent, so no holder needs recording.
 */
final class S3CompletedLease implements UploadLease {

	private final S3ResumableStore store;

	private final UploadInfo info;

	S3CompletedLease(S3ResumableStore store, UploadInfo info) {
		this.store = store;
		this.info = info;
	}

	@Override
	public UploadInfo info() {
		return this.info;
	}

	@Override
	public void onStopRequested(Runnable stop) {
		// nothing is written under this lease: nobody waits for it
	}

	@Override
	public UploadAppend append() {
		return new UploadAppend() {

			@Override
			public boolean write(ByteBuffer data) throws IOException {
				throw new IOException("upload " + S3CompletedLease.this.info.id() + " is complete");
			}

			@Override
			public void onReady(Runnable ready) {
				ready.run();
			}

			@Override
			public long written() {
				return 0;
			}

			@Override
			public UploadInfo commit() {
				return S3CompletedLease.this.info;
			}

			@Override
			public void discard() {
			}

		};
	}

	@Override
	public UploadInfo declareLength(long length) {
		throw new IllegalStateException("upload " + this.info.id() + " is complete");
	}

	@Override
	public UploadInfo complete() {
		return this.info;
	}

	@Override
	public void terminate() throws IOException {
		this.store.removeAll(this.info.id());
	}

	@Override
	public void close() {
	}

}
