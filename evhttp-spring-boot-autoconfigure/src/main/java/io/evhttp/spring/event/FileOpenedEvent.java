package io.evhttp.spring.event;

/** A file of a request has been opened in tmp-path; no byte is written yet. */
public final class FileOpenedEvent extends EvUploadEvent {

	private static final long serialVersionUID = 1L;

	public FileOpenedEvent(UploadSnapshot snapshot) {
		super(snapshot);
	}

}
