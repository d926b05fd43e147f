package io.evhttp.server;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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
 *
 * <p>
 * A listener may serve several certificates, chosen by the name the client asks for (SNI,
 * RFC 6066 section 3): {@link #withServerName} gives the context of an exact name
 * ({@code api.example.com}) or of a wildcard ({@code *.example.com}, one label, as RFC
 * 6125 section 6.4.3 matches it), case-insensitively; an exact name wins over a wildcard,
 * and clients that ask for no name or another one get the default context. The name is
 * read from the ClientHello before the engine is made, once per connection.
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

	/** Contexts by lower-case server name or {@code *.}suffix; empty: no SNI. */
	private final Map<String, Supplier<SSLContext>> byName;

	/** See {@link #packetBufferSize()}; 0 until measured. */
	private volatile int packetBufferSize;

	private TlsOptions(Supplier<SSLContext> context, ClientAuth clientAuth, String[] protocols, String[] ciphers,
			Executor taskExecutor, Map<String, Supplier<SSLContext>> byName) {
		this.context = Objects.requireNonNull(context, "context");
		this.byName = byName;
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
		return new TlsOptions(context, ClientAuth.NONE, DEFAULT_PROTOCOLS, null, ForkJoinPool.commonPool(), Map.of());
	}

	public TlsOptions withClientAuth(ClientAuth clientAuth) {
		return new TlsOptions(this.context, clientAuth, this.protocols, this.ciphers, this.taskExecutor, this.byName);
	}

	/** Enabled protocols, e.g. {@code TLSv1.3}; {@code null}: TLS 1.3 and 1.2. */
	public TlsOptions withProtocols(String... protocols) {
		String[] chosen = (protocols != null && protocols.length > 0) ? protocols.clone() : DEFAULT_PROTOCOLS;
		return new TlsOptions(this.context, this.clientAuth, chosen, this.ciphers, this.taskExecutor, this.byName);
	}

	/** Enabled cipher suites; {@code null}: the JDK's defaults. */
	public TlsOptions withCiphers(String... ciphers) {
		String[] chosen = (ciphers != null && ciphers.length > 0) ? ciphers.clone() : null;
		return new TlsOptions(this.context, this.clientAuth, this.protocols, chosen, this.taskExecutor, this.byName);
	}

	/** Where the engine's delegated tasks run; they may block briefly. */
	public TlsOptions withTaskExecutor(Executor taskExecutor) {
		return new TlsOptions(this.context, this.clientAuth, this.protocols, this.ciphers, taskExecutor, this.byName);
	}

	/**
	 * Serves clients asking for {@code serverName} with {@code context}.
	 * @param serverName a host name ({@code api.example.com}) or a wildcard of one label
	 * ({@code *.example.com}); case does not matter
	 */
	public TlsOptions withServerName(String serverName, SSLContext context) {
		Objects.requireNonNull(context, "context");
		return withServerName(serverName, () -> context);
	}

	/**
	 * Serves clients asking for {@code serverName} with whatever context {@code context}
	 * returns when such a connection begins; it must not block.
	 * @param serverName a host name ({@code api.example.com}) or a wildcard of one label
	 * ({@code *.example.com}); case does not matter
	 */
	public TlsOptions withServerName(String serverName, Supplier<SSLContext> context) {
		Objects.requireNonNull(context, "context");
		Map<String, Supplier<SSLContext>> names = new LinkedHashMap<>(this.byName);
		names.put(normalize(serverName), context);
		return new TlsOptions(this.context, this.clientAuth, this.protocols, this.ciphers, this.taskExecutor,
				Map.copyOf(names));
	}

	private static String normalize(String serverName) {
		Objects.requireNonNull(serverName, "serverName");
		String name = serverName.trim().toLowerCase(Locale.ROOT);
		String host = name.startsWith("*.") ? name.substring(2) : name;
		if (host.isEmpty() || host.contains("*") || host.startsWith(".") || host.endsWith(".")) {
			throw new IllegalArgumentException(
					"server name '" + serverName + "' is neither a host name nor a wildcard such as *.example.com");
		}
		return name;
	}

	public ClientAuth clientAuth() {
		return this.clientAuth;
	}

	Executor taskExecutor() {
		return this.taskExecutor;
	}

	/** Whether the context depends on the server name the client asks for. */
	boolean hasServerNames() {
		return !this.byName.isEmpty();
	}

	/**
	 * The context for clients asking for {@code serverName} (lower case): its own, its
	 * wildcard's, else the default.
	 */
	SSLContext contextFor(String serverName) {
		Supplier<SSLContext> chosen = null;
		if (serverName != null && hasServerNames()) {
			chosen = this.byName.get(serverName);
			int dot = serverName.indexOf('.');
			if (chosen == null && dot > 0) {
				chosen = this.byName.get("*" + serverName.substring(dot));
			}
		}
		return ((chosen != null) ? chosen : this.context).get();
	}

	/**
	 * Bytes of the largest TLS record the engines read or write, measured once on an
	 * engine of the default context: the buffer for a ClientHello is needed before its
	 * engine exists.
	 */
	int packetBufferSize() {
		int size = this.packetBufferSize;
		if (size == 0) {
			size = this.context.get().createSSLEngine().getSession().getPacketBufferSize();
			this.packetBufferSize = size;
		}
		return size;
	}

	/**
	 * A server-side engine for a connection from {@code peer} that asked for
	 * {@code serverName} ({@code null}: none).
	 */
	SSLEngine newEngine(InetSocketAddress peer, String serverName) {
		SSLEngine engine = contextFor(serverName).createSSLEngine(peer.getHostString(), peer.getPort());
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
