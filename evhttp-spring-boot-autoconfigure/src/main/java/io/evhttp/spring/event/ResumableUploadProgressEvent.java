package io.evhttp.spring.event;

import io.evhttp.resumable.UploadInfo;

/**
 * Bytes of a resumable upload were stored: {@code upload().offset()} is acknowledged.
 */
public final class ResumableUploadProgressEvent extends ResumableUploadEvent {

	private static final long serialVersionUID = 1L;

	public ResumableUploadProgressEvent(UploadInfo upload) {
		super(upload);
	}

}
