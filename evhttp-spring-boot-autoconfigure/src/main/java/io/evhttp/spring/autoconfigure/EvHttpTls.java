package io.evhttp.spring.autoconfigure;

import io.evhttp.server.TlsOptions;
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

	private static final Log log = LogFactory.getLog(EvHttpTls.class);

	private final String bundleName;

	private volatile SSLContext context;

	private EvHttpTls(String bundleName, SSLContext context) {
		this.bundleName = bundleName;
		this.context = context;
	}

	/**
	 * TLS as configured, or {@code null} for cleartext.
	 * @throws EvHttpSslException when the bundle is missing or unusable
	 */
	static TlsOptions of(EvHttpProperties.Ssl ssl, SslBundles bundles) {
		String name = ssl.getBundle();
		if (!ssl.isEnabled() || name == null || name.isBlank()) {
			return null;
		}
		if (bundles == null) {
			throw new EvHttpSslException(name, "evhttp.ssl.bundle is " + name + " but no SslBundles bean exists.",
					null);
		}
		SslBundle bundle;
		try {
			bundle = bundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new EvHttpSslException(name, "evhttp.ssl.bundle names SSL bundle '" + name
					+ "', which is not configured (known: " + bundles.getBundleNames() + ").", ex);
		}
		EvHttpTls tls = new EvHttpTls(name, context(name, bundle));
		bundles.addBundleUpdateHandler(name, tls::reload);
		SslOptions options = bundle.getOptions();
		return TlsOptions.of(tls)
			.withClientAuth(ssl.getClientAuth())
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
