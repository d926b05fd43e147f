package io.evhttp.spring.event;

import java.time.Duration;

/**
 * A request routed to a handler is over, answered or not: the last event of every
 * request, after its upload events, so a test or a listener can wait for it.
 */
public final class RequestCompletedEvent extends EvUploadEvent {

	private static final long serialVersionUID = 1L;

	private final int status;

	private final long bytesReceived;

	private final long bytesSent;

	private final Duration duration;

	public RequestCompletedEvent(UploadSnapshot snapshot, int status, long bytesReceived, long bytesSent,
			Duration duration) {
		super(snapshot);
		this.status = status;
		this.bytesReceived = bytesReceived;
		this.bytesSent = bytesSent;
		this.duration = duration;
	}

	/** Status answered, or 499 when the client went away before the answer ended. */
	public int status() {
		return this.status;
	}

	/** Bytes of the request body received. */
	public long bytesReceived() {
		return this.bytesReceived;
	}

	/** Bytes of the response body sent. */
	public long bytesSent() {
		return this.bytesSent;
	}

	/** From the request's head to the end of its answer. */
	public Duration duration() {
		return this.duration;
	}

}
