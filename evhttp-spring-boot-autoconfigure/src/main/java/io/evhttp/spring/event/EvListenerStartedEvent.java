package io.evhttp.spring.event;

import io.evhttp.server.PortListener;
import org.springframework.context.ApplicationEvent;

/**
 * An evhttp listener is bound and accepting; carries its real port (useful with port 0).
 */
public final class EvListenerStartedEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	public EvListenerStartedEvent(PortListener listener) {
		super(listener);
	}

	@Override
	public PortListener getSource() {
		return (PortListener) super.getSource();
	}

	public int port() {
		return getSource().port();
	}

}
