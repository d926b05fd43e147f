package io.evhttp.spring.autoconfigure;

import io.evhttp.server.TlsOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * The listeners' TLS from the bundle {@code evhttp.ssl.bundle} names: its context, its
 * protocols and ciphers, and a new context for new connections each time the bundle
 * reloads ({@code reload-on-update}); open connections keep theirs.
 */
final class EvHttpTls implements Supplier<SSLContext> {

	/**
	 * The TLS of each listener: its handlers' {@code sslBundle}, else
	 * {@code evhttp.ssl.bundle}; each bundle set up once.
	 */
	static final class Listeners {

		private final EvHttpProperties.Ssl ssl;

		private final SslBundles bundles;

		private final Map<String, TlsOptions> made = new HashMap<>();

		/**
		 * Sets up {@code evhttp.ssl.bundle} at once, so that a wrong one fails startup.
		 * @throws EvHttpSslException when it is missing or unusable
		 */
		Listeners(EvHttpProperties.Ssl ssl, SslBundles bundles) {
			this.ssl = ssl;
			this.bundles = bundles;
			forBundle(null);
		}

		/**
		 * TLS for a listener serving {@code routes}, or {@code null} for cleartext.
		 * @throws EvHttpHandlerException when they name different bundles
		 */
		TlsOptions forRoutes(List<HandlerRoute> routes) {
			List<String> named = routes.stream()
				.map((route) -> (route.sslBundle() != null) ? route.sslBundle() : String.valueOf(this.ssl.getBundle()))
				.distinct()
				.toList();
			if (named.size() > 1) {
				throw new EvHttpHandlerException(
						"Handlers " + routes.stream().map(HandlerRoute::beanName).toList()
								+ " share a port but would serve it with different SSL bundles " + named
								+ " (null: none; a handler without sslBundle has evhttp.ssl.bundle's).",
						"Name the same sslBundle in each @EvUploadHandler on that port, give them different ports, "
								+ "or set evhttp.ssl.bundle for the default port.");
			}
			return forBundle(routes.get(0).sslBundle());
		}

		private TlsOptions forBundle(String name) {
			String chosen = (name != null) ? name : this.ssl.getBundle();
			if (!this.ssl.isEnabled() || chosen == null || chosen.isBlank()) {
				return null;
			}
			return this.made.computeIfAbsent(chosen, (n) -> of(n, this.ssl.getClientAuth(), this.bundles));
		}

	}

	private static final Log log = LogFactory.getLog(EvHttpTls.class);

	private final String bundleName;

	private volatile SSLContext context;

	private EvHttpTls(String bundleName, SSLContext context) {
		this.bundleName = bundleName;
		this.context = context;
	}

	/**
	 * TLS with bundle {@code name}.
	 * @throws EvHttpSslException when the bundle is missing or unusable
	 */
	static TlsOptions of(String name, TlsOptions.ClientAuth clientAuth, SslBundles bundles) {
		if (bundles == null) {
			throw new EvHttpSslException(name, "SSL bundle '" + name + "' is asked for but no SslBundles bean exists.",
					null);
		}
		SslBundle bundle;
		try {
			bundle = bundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new EvHttpSslException(name, "evhttp names SSL bundle '" + name
					+ "', which is not configured (known: " + bundles.getBundleNames() + ").", ex);
		}
		EvHttpTls tls = new EvHttpTls(name, context(name, bundle));
		bundles.addBundleUpdateHandler(name, tls::reload);
		SslOptions options = bundle.getOptions();
		return TlsOptions.of(tls)
			.withClientAuth(clientAuth)
			.withProtocols(options.getEnabledProtocols())
			.withCiphers(options.getCiphers());
	}

	private static SSLContext context(String name, SslBundle bundle) {
		try {
			return bundle.createSslContext();
		}
		catch (RuntimeException ex) {
			throw new EvHttpSslException(name,
					"SSL bundle '" + name + "' does not make a TLS context: " + ex.getMessage(), ex);
		}
	}

	private void reload(SslBundle bundle) {
		try {
			this.context = context(this.bundleName, bundle);
			log.info("evhttp: SSL bundle '" + this.bundleName + "' reloaded; new connections use it");
		}
		catch (EvHttpSslException ex) {
			log.warn("evhttp: reloaded SSL bundle '" + this.bundleName + "' is unusable, keeping the previous one", ex);
		}
	}

	@Override
	public SSLContext get() {
		return this.context;
	}

}
