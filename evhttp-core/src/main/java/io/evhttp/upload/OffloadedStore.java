package io.evhttp.upload;

import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * Writes another store's files on an executor instead of the event loop (the seed's AIO
 * backend): for disks slow enough to hold up a loop. Each file's bytes are copied off the
 * read buffer and written in order by one task at a time; a file with more than
 * {@link OffloadedSink#HIGH_WATER} bytes waiting takes no more until it is back under
 * {@link OffloadedSink#LOW_WATER}, so the server stops reading that request meanwhile.
 */
public final class OffloadedStore implements UploadStore {

	private final UploadStore delegate;

	private final Executor executor;

	public OffloadedStore(UploadStore delegate, Executor executor) {
		this.delegate = delegate;
		this.executor = executor;
	}

	@Override
	public UploadSink create(UploadTarget target) throws IOException {
		return new OffloadedSink(this.delegate.create(target), this.executor);
	}

	/**
	 * Yes, whatever the delegate says: the disk is slow enough to write off the loops.
	 */
	@Override
	public boolean createMayBlock() {
		return true;
	}

	@Override
	public long usableSpace() throws IOException {
		return this.delegate.usableSpace();
	}

	@Override
	public void check() throws IOException {
		this.delegate.check();
	}

	@Override
	public int sweep() {
		return this.delegate.sweep();
	}

}
