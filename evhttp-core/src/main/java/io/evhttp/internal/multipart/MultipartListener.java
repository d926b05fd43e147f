package io.evhttp.internal.multipart;

import java.nio.ByteBuffer;

/**
 * Receives the steps of a {@link MultipartParser}, in order: for each part
 * {@code onPartBegin}, {@code onPartContent}*, {@code onPartEnd}; then {@code onComplete}
 * once. A method may throw {@link io.evhttp.http.HttpException} to refuse the body.
 */
public interface MultipartListener {

	/** A part's headers have been read. */
	default void onPartBegin(Part part) {
	}

	/**
	 * Bytes of the current part's content, from the buffer's position to its limit. The
	 * buffer is the caller's own, narrowed for the call: read it during the call (its
	 * position may be advanced), never change its limit or keep it.
	 */
	default void onPartContent(ByteBuffer content) {
	}

	/** The current part's content is complete. */
	default void onPartEnd() {
	}

	/** The close delimiter has been read. */
	default void onComplete() {
	}

}
