package io.evhttp.server;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What one listening socket serves.
 *
 * @param address address and port to bind (port 0: any free port)
 * @param handler answers requests
 * @param uploads body callbacks, {@link UploadListener#NONE} for none
 * @param executor where the handler runs; {@code null} runs it on the event loop
 * @param tls TLS on this listener, {@code null} for cleartext
 */
public record ListenerConfig(InetSocketAddress address, Handler handler, UploadListener uploads, Executor executor,
		TlsOptions tls) {

	public ListenerConfig {
		Objects.requireNonNull(address, "address");
		Objects.requireNonNull(handler, "handler");
		uploads = (uploads != null) ? uploads : UploadListener.NONE;
	}

	/** A cleartext listener. */
	public ListenerConfig(InetSocketAddress address, Handler handler, UploadListener uploads, Executor executor) {
		this(address, handler, uploads, executor, null);
	}

	/** Serves {@code handler} on all interfaces at {@code port}, on the event loop. */
	public static ListenerConfig of(int port, Handler handler) {
		return new ListenerConfig(new InetSocketAddress(port), handler, UploadListener.NONE, null, null);
	}

	public ListenerConfig withUploads(UploadListener uploads) {
		return new ListenerConfig(this.address, this.handler, uploads, this.executor, this.tls);
	}

	public ListenerConfig withExecutor(Executor executor) {
		return new ListenerConfig(this.address, this.handler, this.uploads, executor, this.tls);
	}

	public ListenerConfig withAddress(InetSocketAddress address) {
		return new ListenerConfig(address, this.handler, this.uploads, this.executor, this.tls);
	}

	/** Serves over TLS; {@code null}: cleartext. */
	public ListenerConfig withTls(TlsOptions tls) {
		return new ListenerConfig(this.address, this.handler, this.uploads, this.executor, tls);
	}

}
