package io.evhttp.server;

import io.evhttp.http.HttpException;
import io.evhttp.upload.StoreUnavailableException;
import java.io.IOException;
import java.util.concurrent.CompletionException;

/** The one mapping from a failure while a body is read or stored to its answer. */
final class BodyFailures {

	private BodyFailures() {
	}

	static HttpException of(Throwable failure) {
		Throwable ex = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (ex instanceof HttpException http) {
			return http;
		}
		if (ex instanceof IOException io) {
			return storeError(io);
		}
		return new HttpException(500, "body processing failed: " + ex, ex);
	}

	/**
	 * A failed write: 503 with {@code Retry-After} when the store is unavailable, 507
	 * when the disk is full, else 500.
	 */
	static HttpException storeError(IOException ex) {
		if (ex instanceof StoreUnavailableException unavailable) {
			long seconds = Math.max(1, unavailable.retryAfter().toSeconds());
			return new HttpException(503, "store unavailable: " + ex.getMessage(), ex).withHeader("Retry-After",
					Long.toString(seconds));
		}
		String message = String.valueOf(ex.getMessage());
		boolean full = message.contains("No space left") || message.contains("Disk quota");
		return new HttpException(full ? 507 : 500, "storing upload failed: " + ex, ex);
	}

}
