package io.evhttp.spring.event;

import io.evhttp.resumable.UploadInfo;

/**
 * A resumable upload was created: its id is known, no byte may be stored yet.
 */
public final class ResumableUploadCreatedEvent extends ResumableUploadEvent {

	private static final long serialVersionUID = 1L;

	public ResumableUploadCreatedEvent(UploadInfo upload) {
		super(upload);
	}

}
