package io.evhttp.spring.event;

import io.evhttp.resumable.UploadInfo;

/**
 * A resumable upload expired and was swept; nothing of it is left.
 */
public final class ResumableUploadExpiredEvent extends ResumableUploadEvent {

	private static final long serialVersionUID = 1L;

	public ResumableUploadExpiredEvent(UploadInfo upload) {
		super(upload);
	}

}
