package io.evhttp.server;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Takes a request body as a stream of buffers instead of letting the server decode it and
 * write files. Set one with {@link Request#consumeBody} from
 * {@link UploadListener#onHead}; the handler is called after {@link #onEnd()}.
 *
 * <p>
 * Runs on the event loop and must not block. {@code data} is a slice of the loop's read
 * buffer: read or copy it during the call, never keep it. Pause with
 * {@link Request#pauseBody()} to stop the flow while you catch up.
 */
public interface BodyConsumer {

	/** More bytes of the body. */
	void onData(ByteBuffer data) throws IOException;

	/** The body is complete. */
	default void onEnd() throws IOException {
	}

	/** The request failed; release what was set up for it. */
	default void onAbort() {
	}

}
