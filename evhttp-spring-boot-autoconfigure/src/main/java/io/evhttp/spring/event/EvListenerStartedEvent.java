package io.evhttp.spring.event;

import io.evhttp.server.PortListener;
import java.util.List;
import org.springframework.context.ApplicationEvent;

/**
 * An evhttp listener is bound and accepting; carries its real port (useful with port 0)
 * and the handlers it serves.
 */
public final class EvListenerStartedEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final List<String> handlers;

	public EvListenerStartedEvent(PortListener listener, List<String> handlers) {
		super(listener);
		this.handlers = List.copyOf(handlers);
	}

	@Override
	public PortListener getSource() {
		return (PortListener) super.getSource();
	}

	public int port() {
		return getSource().port();
	}

	/** Bean names of the handlers (and route beans) this listener serves. */
	public List<String> handlers() {
		return this.handlers;
	}

}
