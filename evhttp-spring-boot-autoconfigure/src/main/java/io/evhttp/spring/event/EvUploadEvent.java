package io.evhttp.spring.event;

import org.springframework.context.ApplicationEvent;

/**
 * Base of the events published along an upload. Listeners of one request's events are
 * called in order, one at a time, on the application task executor (never on an event
 * loop), so a slow listener delays only the events of its own request.
 */
public abstract class EvUploadEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	protected EvUploadEvent(UploadSnapshot snapshot) {
		super(snapshot);
	}

	@Override
	public UploadSnapshot getSource() {
		return (UploadSnapshot) super.getSource();
	}

	/** The upload's state when the event happened. */
	public UploadSnapshot snapshot() {
		return getSource();
	}

}
