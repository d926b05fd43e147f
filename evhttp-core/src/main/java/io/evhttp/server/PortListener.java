package io.evhttp.server;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A listening socket of an {@link EvServer}. Stopping it unbinds the port and leaves open
 * connections alone; starting it binds the same port again.
 */
public interface PortListener {

	/** Bound port (the real one when 0 was asked for). */
	int port();

	InetSocketAddress address();

	ListenerConfig config();

	boolean isListening();

	/** Unbinds; connections already accepted carry on. */
	void stop() throws IOException;

	/** Binds again to the same port. */
	void start() throws IOException;

}
