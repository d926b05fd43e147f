package io.evhttp.resumable;

import java.io.IOException;

/**
 * The right to change one upload, held by one request at a time. Everything that changes
 * an upload (append, length, completion, termination) goes through its lease; closing it
 * lets the next request in.
 */
public interface UploadLease extends AutoCloseable {

	/** The upload's state, including changes made through this lease. */
	UploadInfo info();

	/**
	 * Called (on any thread) when another request wants this upload: the holder stops
	 * reading, stores what it has and closes the lease soon.
	 */
	void onStopRequested(Runnable stop);

	/**
	 * Starts appending at {@code info().offset()}. Bytes past that offset left by an
	 * earlier writer that never committed them are dropped first.
	 */
	UploadAppend append() throws IOException;

	/** Sets the length of a deferred upload (tus creation-defer-length). */
	UploadInfo declareLength(long length) throws IOException;

	/** Marks the upload complete, its length being its offset. */
	UploadInfo complete() throws IOException;

	/** Removes the upload, bytes and state; the lease ends with it. */
	void terminate() throws IOException;

	/** Releases the lease. Idempotent. */
	@Override
	void close();

}
