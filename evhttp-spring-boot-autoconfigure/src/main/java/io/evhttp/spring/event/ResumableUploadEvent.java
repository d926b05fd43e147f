package io.evhttp.spring.event;

import io.evhttp.resumable.UploadInfo;
import org.springframework.context.ApplicationEvent;

/**
 * Base of the events of a resumable upload ({@code evhttp.resumable.enabled}). They are
 * published on the resumable endpoint's threads ({@code evhttp-resumable-N}), never on an
 * event loop; a listener may block, delaying the answer to the request that caused the
 * event. Created, completed, terminated, expired and failed come once per upload, across
 * every node sharing the store; progress after each request that stored bytes.
 */
public abstract class ResumableUploadEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	protected ResumableUploadEvent(UploadInfo upload) {
		super(upload);
	}

	@Override
	public UploadInfo getSource() {
		return (UploadInfo) super.getSource();
	}

	/** The upload's state when the event happened. */
	public UploadInfo upload() {
		return getSource();
	}

}
