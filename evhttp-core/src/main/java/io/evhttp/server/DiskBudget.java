package io.evhttp.server;

import io.evhttp.http.HttpException;
import io.evhttp.upload.UploadStore;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Space in {@code tmp-path} promised to uploads in flight. A request's declared length
 * (or, for a chunked body, each megabyte as it comes) is reserved before it is read and
 * released when the request ends; an upload that would overrun the budget (when one is
 * set), or that is larger than the free space of the file system, is refused with 507
 * before its bytes are read. The free space is compared with each upload alone: many slow
 * uploads that would together fill the disk are what the budget is for.
 */
final class DiskBudget {

	/** Bodies smaller than this are not checked against the file system's free space. */
	private static final long CHECK_FREE_SPACE_FROM = 64 * 1024;

	private final UploadStore store;

	private final long budgetBytes;

	private final AtomicLong reserved = new AtomicLong();

	/**
	 * @param budgetBytes most bytes promised at once, or -1 for no budget (free space is
	 * checked either way)
	 */
	DiskBudget(UploadStore store, long budgetBytes) {
		this.store = store;
		this.budgetBytes = budgetBytes;
	}

	/**
	 * Promises {@code bytes} more to an upload.
	 * @throws HttpException (507) when the budget or the free space would be overrun
	 */
	void reserve(long bytes) {
		if (bytes <= 0) {
			return;
		}
		long after = this.reserved.addAndGet(bytes);
		if (this.budgetBytes >= 0 && after > this.budgetBytes) {
			this.reserved.addAndGet(-bytes);
			throw new HttpException(507, "upload of " + bytes + " bytes over the disk budget of " + this.budgetBytes);
		}
		if (bytes >= CHECK_FREE_SPACE_FROM) {
			long usable;
			try {
				usable = this.store.usableSpace();
			}
			catch (IOException ex) {
				this.reserved.addAndGet(-bytes);
				throw new HttpException(507, "cannot read the free space of tmp-path: " + ex.getMessage(), ex);
			}
			if (bytes > usable) {
				this.reserved.addAndGet(-bytes);
				throw new HttpException(507,
						"upload of " + bytes + " bytes over the free space of tmp-path (" + usable + " bytes)");
			}
		}
	}

	/** Gives back bytes promised by {@link #reserve}. */
	void release(long bytes) {
		if (bytes > 0) {
			this.reserved.addAndGet(-bytes);
		}
	}

	/** Bytes promised to uploads in flight. */
	long reserved() {
		return this.reserved.get();
	}

}
