package io.evhttp.resumable;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Bytes being appended to an upload by one request. Nothing written here counts until
 * {@link #commit()}: the offset a client is told is only ever bytes that are stored.
 */
public interface UploadAppend {

	/**
	 * Takes all of {@code data} (advancing its position to its limit) without keeping the
	 * buffer after the call. On the event loop: must not block.
	 * @return {@code false} when the store wants no more until {@link #onReady} runs
	 */
	boolean write(ByteBuffer data) throws IOException;

	/** Runs {@code ready} once the store takes bytes again (at once when it does now). */
	void onReady(Runnable ready);

	/** Bytes written so far. */
	long written();

	/**
	 * Makes the bytes written durable and moves the offset past them.
	 * @return the new state
	 */
	UploadInfo commit() throws IOException;

	/** Forgets the bytes written (a checksum that does not match); the offset stays. */
	void discard() throws IOException;

}
