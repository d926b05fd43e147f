package io.evhttp.server;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads the content of one request body as it arrives, on the event loop: decodes a form
 * into fields, hands files to the store, or gives the bytes to the application. It talks
 * back only through its {@link BodyControl}.
 */
interface ContentReader {

	/**
	 * Takes all of {@code data} (the loop's read buffer narrowed to this body's bytes:
	 * never kept, its limit never changed), advancing its position to its limit.
	 */
	void onData(ByteBuffer data) throws IOException;

	/**
	 * The body is complete on the wire; the reader calls {@link BodyControl#complete()}
	 * once everything of it is stored, now or later.
	 */
	void onEnd() throws IOException;

	/** The request failed: removes what was stored. Never throws. */
	void abort();

	/**
	 * Whether the body's bytes go to the store (and so count against the disk budget).
	 */
	default boolean storesFiles() {
		return true;
	}

}
