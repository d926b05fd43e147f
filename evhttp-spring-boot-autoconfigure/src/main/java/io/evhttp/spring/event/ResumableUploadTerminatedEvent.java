package io.evhttp.spring.event;

import io.evhttp.resumable.UploadInfo;

/**
 * The client terminated a resumable upload; nothing of it is left.
 */
public final class ResumableUploadTerminatedEvent extends ResumableUploadEvent {

	private static final long serialVersionUID = 1L;

	public ResumableUploadTerminatedEvent(UploadInfo upload) {
		super(upload);
	}

}
