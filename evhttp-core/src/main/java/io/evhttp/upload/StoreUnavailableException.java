package io.evhttp.upload;

import java.io.IOException;
import java.time.Duration;

/**
 * A store cannot take files for now (its service is unreachable or answers errors after
 * its retries): the request is answered {@code 503} with {@code Retry-After}, as a client
 * may well succeed later, instead of {@code 500}.
 */
public class StoreUnavailableException extends IOException {

	private static final long serialVersionUID = 1L;

	private final Duration retryAfter;

	public StoreUnavailableException(String message, Duration retryAfter, Throwable cause) {
		super(message, cause);
		this.retryAfter = retryAfter;
	}

	/** How long a client should wait before trying again. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
