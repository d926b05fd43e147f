package io.evhttp.server;

import io.evhttp.http.HttpException;
import java.nio.ByteBuffer;

/**
 * Callbacks along a request's body, like HTTP::Server::EV's {@code on_multipart},
 * {@code on_file_open}, {@code on_file_write}, {@code on_file_received} and
 * {@code on_error}.
 *
 * <p>
 * Every method runs on the connection's event loop, in order, at most once per event, and
 * must not block: hand slow work to another thread. After {@link #onError} no further
 * callback comes for that request. {@link #onHead} and {@link #onMultipart} may refuse
 * the request by throwing an {@link HttpException}: it is answered with that status
 * before (more of) the body is read.
 *
 * <p>
 * With a disk-write executor ({@code uploads.diskWriteExecutor}) or a store that writes
 * later (object storage), the callbacks still run on the loop, in order; the bytes a
 * callback reports may reach their store a little later.
 */
public interface UploadListener {

	/** A listener that does nothing. */
	UploadListener NONE = new UploadListener() {
		@Override
		public boolean wantsFileWrites(Request request) {
			return false;
		}
	};

	/**
	 * The request head has been received and no body byte has been read yet: method,
	 * path, headers, declared length and client IP are known. Throw an
	 * {@link HttpException} (401, 413, 415, 507 ...) to refuse; with
	 * {@code Expect: 100-continue} the client then sends nothing.
	 */
	default void onHead(Request request) {
	}

	/**
	 * A refusal made before there was a request to tell of: a head that is malformed, too
	 * large or too slow. The listener may give the answer a body, as a problem document,
	 * with {@link HttpException#withBody}; it is written after this returns and the
	 * connection closes.
	 */
	default void onHeadRefused(HttpException reason) {
	}

	/**
	 * A {@code multipart/form-data} body starts. Throw an {@link HttpException} to refuse
	 * it.
	 */
	default void onMultipart(Request request) {
	}

	/** A file's temp file has been created; {@link UploadedFile#size()} is 0. */
	default void onFileOpen(Request request, UploadedFile file) {
	}

	/**
	 * A chunk of the file has been written. {@code chunk} is read-only and valid only
	 * during the call; {@link UploadedFile#size()} counts it already.
	 */
	default void onFileWrite(Request request, UploadedFile file, ByteBuffer chunk) {
	}

	/**
	 * Whether {@link #onFileWrite} is wanted for this request, asked before each chunk.
	 * Answer {@code false} when nothing is done per chunk: the server then builds no
	 * read-only view of it (garbage on the hot path otherwise).
	 */
	default boolean wantsFileWrites(Request request) {
		return true;
	}

	/** The file is complete and closed; size and digest are final. */
	default void onFileReceived(Request request, UploadedFile file) {
	}

	/**
	 * The request failed before it was handled: a client disconnect, a timeout, a limit,
	 * a malformed body, {@link Request#drop()}, or an I/O error. Its files are deleted
	 * after this call. {@code reason.status()} is the status answered (4xx, 5xx), or 499
	 * when no answer could be given: the client went away or the request was dropped.
	 */
	default void onError(Request request, HttpException reason) {
	}

	/**
	 * The request is over: its answer written, its refusal sent, or its connection closed
	 * without an answer. Comes once for every request whose head was received, after
	 * {@link #onError} when there was one, on the event loop: must not block.
	 */
	default void onComplete(Request request, RequestOutcome outcome) {
	}

}
