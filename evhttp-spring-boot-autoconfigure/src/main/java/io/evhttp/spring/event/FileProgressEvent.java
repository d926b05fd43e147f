package io.evhttp.spring.event;

/**
 * More bytes of a file have been written; throttled (evhttp.events.progress-bytes and
 * progress-interval), with a final one at the end of each file.
 */
public final class FileProgressEvent extends EvUploadEvent {

	private static final long serialVersionUID = 1L;

	public FileProgressEvent(UploadSnapshot snapshot) {
		super(snapshot);
	}

}
