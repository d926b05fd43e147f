package io.evhttp.server;

/**
 * How a request ended, for {@link UploadListener#onComplete}: logs, metrics, traces.
 *
 * @param status the status answered, or 499 when the connection closed without an answer
 * (the client went away, a timeout, {@link Request#drop()}, the server stopping)
 * @param bytesSent body bytes of the answer queued for the client (0 for a refusal's
 * short text, which the status describes)
 * @param endNanos when it ended, on {@link System#nanoTime()}'s clock: minus
 * {@link Request#startNanos()}, the request's duration
 */
public record RequestOutcome(int status, long bytesSent, long endNanos) {

	/** Whether an answer was given: a status other than 499. */
	public boolean answered() {
		return this.status != 499;
	}

}
