package io.evhttp.server;

import io.evhttp.upload.DigestAlgorithm;
import io.evhttp.upload.UploadStore;
import java.util.concurrent.Executor;

/**
 * What an application chose for one request before its body, from
 * {@link UploadListener#onHead} (digest, limits, body timeout, a body consumer, where the
 * handler runs), and the server's own choice wherever it chose nothing.
 */
final class RequestSettings {

	/** Marks the choice of the event loop in {@link #handlerExecutor}. */
	private static final Executor EVENT_LOOP = Runnable::run;

	private static final long UNSET = Long.MIN_VALUE;

	DigestAlgorithm digest;

	long maxFileBytes = UNSET;

	long maxRequestBytes = UNSET;

	/** The request's own body timeout, or -1 for the server's. */
	long bodyTimeoutNanos = -1;

	BodyConsumer bodyConsumer;

	/** Where this request's files go instead of the server's store. */
	UploadStore store;

	/** Where the handler runs instead of the listener's choice; {@link #EVENT_LOOP}. */
	volatile Executor handlerExecutor;

	void handleOnEventLoop() {
		this.handlerExecutor = EVENT_LOOP;
	}

	DigestAlgorithm digestOr(DigestAlgorithm fallback) {
		return (this.digest != null) ? this.digest : fallback;
	}

	UploadStore storeOr(UploadStore fallback) {
		return (this.store != null) ? this.store : fallback;
	}

	long maxFileBytesOr(long fallback) {
		return (this.maxFileBytes != UNSET) ? this.maxFileBytes : fallback;
	}

	long maxRequestBytesOr(long fallback) {
		return (this.maxRequestBytes != UNSET) ? this.maxRequestBytes : fallback;
	}

	/** The handler's executor, or {@code fallback}; {@code null} means the loop. */
	Executor handlerExecutorOr(Executor fallback) {
		Executor chosen = this.handlerExecutor;
		return (chosen == null) ? fallback : (chosen == EVENT_LOOP) ? null : chosen;
	}

}
