package io.evhttp.spring.event;

/** A multipart/form-data body has started. */
public final class MultipartStartedEvent extends EvUploadEvent {

	private static final long serialVersionUID = 1L;

	public MultipartStartedEvent(UploadSnapshot snapshot) {
		super(snapshot);
	}

}
