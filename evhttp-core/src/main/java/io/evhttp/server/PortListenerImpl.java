package io.evhttp.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

/** A {@link PortListener} bound through the server's {@link Acceptor}. */
final class PortListenerImpl implements PortListener {

	private final EvServer server;

	private final ListenerConfig config;

	private final BodyContext bodyContext;

	private volatile ServerSocketChannel channel;

	private volatile InetSocketAddress bound;

	PortListenerImpl(EvServer server, ListenerConfig config) {
		this.server = server;
		this.config = config;
		this.bodyContext = new BodyContext(server.options(), server.store(), config.uploads(), server.fileOpens());
	}

	@Override
	public int port() {
		return this.bound.getPort();
	}

	@Override
	public InetSocketAddress address() {
		return this.bound;
	}

	@Override
	public ListenerConfig config() {
		return this.config;
	}

	BodyContext bodyContext() {
		return this.bodyContext;
	}

	@Override
	public boolean isListening() {
		ServerSocketChannel ch = this.channel;
		return ch != null && ch.isOpen();
	}

	@Override
	public synchronized void start() throws IOException {
		if (isListening()) {
			return;
		}
		InetSocketAddress address = (this.bound != null) ? this.bound : this.config.address();
		ServerSocketChannel ch = ServerSocketChannel.open();
		try {
			ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			ch.bind(address, 4096);
			ch.configureBlocking(false);
		}
		catch (IOException ex) {
			ch.close();
			throw new IOException("cannot listen on " + address + ": " + ex.getMessage(), ex);
		}
		this.bound = (InetSocketAddress) ch.getLocalAddress();
		this.channel = ch;
		this.server.acceptor().register(this, ch);
	}

	@Override
	public synchronized void stop() throws IOException {
		ServerSocketChannel ch = this.channel;
		if (ch != null) {
			this.channel = null;
			this.server.acceptor().unregister(ch);
		}
	}

	@Override
	public String toString() {
		return "PortListener[" + this.bound + "]";
	}

}
