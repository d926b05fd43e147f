package io.evhttp.server;

import io.evhttp.http.HttpException;
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

	/** A failed write: 507 when the disk is full, else 500. */
	static HttpException storeError(IOException ex) {
		String message = String.valueOf(ex.getMessage());
		boolean full = message.contains("No space left") || message.contains("Disk quota");
		return new HttpException(full ? 507 : 500, "storing upload failed: " + ex, ex);
	}

}
