package io.evhttp.server;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * TLS on a listener: where its {@link SSLContext} comes from, whether clients present a
 * certificate, and which protocols and cipher suites are allowed.
 *
 * <p>
 * The context is asked for once per accepted connection, so a supplier that returns a new
 * context after a certificate reload serves new connections with it while open ones keep
 * theirs. ALPN announces {@code http/1.1}. The engine's delegated tasks (key exchange,
 * certificate checks) run on {@code taskExecutor}, never on an event loop; by default the
 * common fork-join pool.
 */
public final class TlsOptions {

	/** Whether a client certificate is asked for. */
	public enum ClientAuth {

		/** Not asked for. */
		NONE,
		/** Asked for; the handshake goes on without one. */
		WANT,
		/** Required: the handshake fails without one. */
		NEED

	}

	private static final String[] DEFAULT_PROTOCOLS = { "TLSv1.3", "TLSv1.2" };

	private static final String[] ALPN = { "http/1.1" };

	private final Supplier<SSLContext> context;

	private final ClientAuth clientAuth;

	private final String[] protocols;

	private final String[] ciphers;

	private final Executor taskExecutor;

	private TlsOptions(Supplier<SSLContext> context, ClientAuth clientAuth, String[] protocols, String[] ciphers,
			Executor taskExecutor) {
		this.context = Objects.requireNonNull(context, "context");
		this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
		this.protocols = protocols;
		this.ciphers = ciphers;
		this.taskExecutor = Objects.requireNonNull(taskExecutor, "taskExecutor");
	}

	/** TLS 1.3 and 1.2 with {@code context}, no client certificate. */
	public static TlsOptions of(SSLContext context) {
		Objects.requireNonNull(context, "context");
		return of(() -> context);
	}

	/**
	 * TLS 1.3 and 1.2 with whatever context {@code context} returns when a connection is
	 * accepted; it must not block.
	 */
	public static TlsOptions of(Supplier<SSLContext> context) {
		return new TlsOptions(context, ClientAuth.NONE, DEFAULT_PROTOCOLS, null, ForkJoinPool.commonPool());
	}

	public TlsOptions withClientAuth(ClientAuth clientAuth) {
		return new TlsOptions(this.context, clientAuth, this.protocols, this.ciphers, this.taskExecutor);
	}

	/** Enabled protocols, e.g. {@code TLSv1.3}; {@code null}: TLS 1.3 and 1.2. */
	public TlsOptions withProtocols(String... protocols) {
		String[] chosen = (protocols != null && protocols.length > 0) ? protocols.clone() : DEFAULT_PROTOCOLS;
		return new TlsOptions(this.context, this.clientAuth, chosen, this.ciphers, this.taskExecutor);
	}

	/** Enabled cipher suites; {@code null}: the JDK's defaults. */
	public TlsOptions withCiphers(String... ciphers) {
		String[] chosen = (ciphers != null && ciphers.length > 0) ? ciphers.clone() : null;
		return new TlsOptions(this.context, this.clientAuth, this.protocols, chosen, this.taskExecutor);
	}

	/** Where the engine's delegated tasks run; they may block briefly. */
	public TlsOptions withTaskExecutor(Executor taskExecutor) {
		return new TlsOptions(this.context, this.clientAuth, this.protocols, this.ciphers, taskExecutor);
	}

	public ClientAuth clientAuth() {
		return this.clientAuth;
	}

	Executor taskExecutor() {
		return this.taskExecutor;
	}

	/** A server-side engine for a connection from {@code peer}. */
	SSLEngine newEngine(InetSocketAddress peer) {
		SSLEngine engine = this.context.get().createSSLEngine(peer.getHostString(), peer.getPort());
		engine.setUseClientMode(false);
		SSLParameters params = engine.getSSLParameters();
		params.setProtocols(this.protocols);
		if (this.ciphers != null) {
			params.setCipherSuites(this.ciphers);
		}
		params.setApplicationProtocols(ALPN);
		switch (this.clientAuth) {
			case NEED -> params.setNeedClientAuth(true);
			case WANT -> params.setWantClientAuth(true);
			case NONE -> {
			}
		}
		engine.setSSLParameters(params);
		return engine;
	}

}
