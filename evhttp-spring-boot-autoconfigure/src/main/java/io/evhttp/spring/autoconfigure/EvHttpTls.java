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
 * The TLS context of one SSL bundle: made at startup, and made again for new connections
 * each time the bundle reloads ({@code reload-on-update}); open connections keep theirs.
 */
final class EvHttpTls implements Supplier<SSLContext> {

	/**
	 * The TLS of each listener: its handlers' {@code sslBundle}, else
	 * {@code evhttp.ssl.bundle}, plus the bundles of
	 * {@code evhttp.ssl.server-name-bundles}; each bundle set up once.
	 */
	static final class Listeners {

		private static final String SERVER_NAME_BUNDLES = "evhttp.ssl.server-name-bundles";

		private final EvHttpProperties.Ssl ssl;

		private final SslBundles bundles;

		private final Map<String, EvHttpTls> contexts = new HashMap<>();

		private final Map<String, TlsOptions> made = new HashMap<>();

		/**
		 * Sets up {@code evhttp.ssl.bundle} and the server-name bundles at once, so that
		 * a wrong one fails startup.
		 * @throws EvHttpSslException when one is missing or unusable
		 */
		Listeners(EvHttpProperties.Ssl ssl, SslBundles bundles) {
			this.ssl = ssl;
			this.bundles = bundles;
			if (ssl.isEnabled()) {
				List<EvHttpProperties.Ssl.ServerNameBundle> named = ssl.getServerNameBundles();
				for (int i = 0; i < named.size(); i++) {
					String property = SERVER_NAME_BUNDLES + "[" + i + "]";
					EvHttpProperties.Ssl.ServerNameBundle entry = named.get(i);
					if (isBlank(entry.getServerName()) || isBlank(entry.getBundle())) {
						throw new EvHttpSslException(entry.getBundle(), property,
								property + " needs both a server-name and a bundle.", null);
					}
					context(entry.getBundle(), property + ".bundle");
				}
			}
			forBundle(null, "evhttp.ssl.bundle");
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
			HandlerRoute first = routes.get(0);
			return forBundle(first.sslBundle(), "the sslBundle of @EvUploadHandler '" + first.beanName() + "'");
		}

		private TlsOptions forBundle(String name, String property) {
			String chosen = (name != null) ? name : this.ssl.getBundle();
			if (!this.ssl.isEnabled() || isBlank(chosen)) {
				return null;
			}
			return this.made.computeIfAbsent(chosen, (n) -> options(n, property));
		}

		private TlsOptions options(String name, String property) {
			EvHttpTls context = context(name, property);
			SslOptions options = context.options;
			TlsOptions tls = TlsOptions.of(context)
				.withClientAuth(this.ssl.getClientAuth())
				.withProtocols(options.getEnabledProtocols())
				.withCiphers(options.getCiphers());
			List<EvHttpProperties.Ssl.ServerNameBundle> named = this.ssl.getServerNameBundles();
			for (int i = 0; i < named.size(); i++) {
				EvHttpProperties.Ssl.ServerNameBundle entry = named.get(i);
				try {
					tls = tls.withServerName(entry.getServerName(), this.contexts.get(entry.getBundle()));
				}
				catch (IllegalArgumentException ex) {
					String at = SERVER_NAME_BUNDLES + "[" + i + "].server-name";
					throw new EvHttpSslException(entry.getBundle(), at, at + ": " + ex.getMessage(), ex);
				}
			}
			return tls;
		}

		private EvHttpTls context(String name, String property) {
			EvHttpTls context = this.contexts.get(name);
			if (context == null) {
				context = EvHttpTls.of(name, property, this.bundles);
				this.contexts.put(name, context);
			}
			return context;
		}

		private static boolean isBlank(String value) {
			return value == null || value.isBlank();
		}

	}

	private static final Log log = LogFactory.getLog(EvHttpTls.class);

	private final String bundleName;

	private final String property;

	private final SslOptions options;

	private volatile SSLContext context;

	private EvHttpTls(String bundleName, String property, SslOptions options, SSLContext context) {
		this.bundleName = bundleName;
		this.property = property;
		this.options = options;
		this.context = context;
	}

	/**
	 * The context of bundle {@code name}, following its reloads.
	 * @param property where the bundle is named, for the failure's explanation
	 * @throws EvHttpSslException when the bundle is missing or unusable
	 */
	static EvHttpTls of(String name, String property, SslBundles bundles) {
		if (bundles == null) {
			throw new EvHttpSslException(name, property,
					"SSL bundle '" + name + "' is asked for but no SslBundles bean exists.", null);
		}
		SslBundle bundle;
		try {
			bundle = bundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new EvHttpSslException(name, property, property + " names SSL bundle '" + name
					+ "', which is not configured (known: " + bundles.getBundleNames() + ").", ex);
		}
		EvHttpTls tls = new EvHttpTls(name, property, bundle.getOptions(), context(name, property, bundle));
		bundles.addBundleUpdateHandler(name, tls::reload);
		return tls;
	}

	private static SSLContext context(String name, String property, SslBundle bundle) {
		try {
			return bundle.createSslContext();
		}
		catch (RuntimeException ex) {
			throw new EvHttpSslException(name, property,
					"SSL bundle '" + name + "' does not make a TLS context: " + ex.getMessage(), ex);
		}
	}

	private void reload(SslBundle bundle) {
		try {
			this.context = context(this.bundleName, this.property, bundle);
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
