package io.evhttp.spring.event;

import io.evhttp.resumable.UploadInfo;

/**
 * The store failed a resumable upload; it was removed, since its state could no longer be
 * trusted.
 */
public final class ResumableUploadFailedEvent extends ResumableUploadEvent {

	private static final long serialVersionUID = 1L;

	private final transient Exception reason;

	public ResumableUploadFailedEvent(UploadInfo upload, Exception reason) {
		super(upload);
		this.reason = reason;
	}

	/** What the store threw. */
	public Exception reason() {
		return this.reason;
	}

}
