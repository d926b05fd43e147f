package io.evhttp.spring.event;

/** A file has been received whole; its size is final. */
public final class FileReceivedEvent extends EvUploadEvent {

	private static final long serialVersionUID = 1L;

	public FileReceivedEvent(UploadSnapshot snapshot) {
		super(snapshot);
	}

}
