package io.evhttp.multipart;

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
	 * Bytes of the current part's content. The buffer is a slice of the caller's read
	 * buffer: read it during the call (its position may be advanced), never keep it.
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
