package io.evhttp.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates made with the JDK's {@code keytool}, once per test run: one
 * for the server (localhost, 127.0.0.1) and one for a client; more server certificates by
 * name on demand, for SNI.
 */
final class TestCertificates {

	static final char[] PASSWORD = "changeit".toCharArray();

	private static TestCertificates instance;

	final Path dir;

	/** The server's key and certificate, PKCS12. */
	final Path serverKeyStore;

	/** The server's certificate, PEM, for {@code curl --cacert}. */
	final Path serverPem;

	/** The client's key and certificate, PKCS12. */
	final Path clientKeyStore;

	/** Server key stores by host name, made on demand. */
	private final Map<String, Path> named = new HashMap<>();

	private TestCertificates(Path dir) throws IOException, InterruptedException {
		this.dir = dir;
		this.serverKeyStore = dir.resolve("server.p12");
		this.serverPem = dir.resolve("server.pem");
		this.clientKeyStore = dir.resolve("client.p12");
		keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
				"-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore",
				this.serverKeyStore.toString());
		keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", this.serverKeyStore.toString(), "-file",
				this.serverPem.toString());
		keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
				"CN=test-client", "-validity", "2", "-keystore", this.clientKeyStore.toString());
	}

	static synchronized TestCertificates get() {
		if (instance == null) {
			try {
				Path dir = Files.createTempDirectory("evhttp-tls");
				dir.toFile().deleteOnExit();
				instance = new TestCertificates(dir);
				for (Path p : List.of(instance.serverKeyStore, instance.serverPem, instance.clientKeyStore)) {
					p.toFile().deleteOnExit();
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return instance;
	}

	/** The server's context; trusts the client's certificate. */
	SSLContext serverContext() {
		return context(this.serverKeyStore, this.clientKeyStore);
	}

	/**
	 * A server context whose certificate has subject {@code CN=<name>} and names
	 * {@code name} (a wildcard too) and 127.0.0.1.
	 */
	SSLContext serverContext(String name) {
		return context(keyStore(name), this.clientKeyStore);
	}

	/** A client trusting the server and the certificates of {@code names}. */
	SSLContext clientContextTrusting(String... names) {
		try {
			KeyStore trusted = KeyStore.getInstance("PKCS12");
			trusted.load(null, null);
			trusted.setCertificateEntry("server", certificate(this.serverKeyStore));
			for (String name : names) {
				trusted.setCertificateEntry(name, certificate(keyStore(name)));
			}
			TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			tmf.init(trusted);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, tmf.getTrustManagers(), null);
			return context;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private synchronized Path keyStore(String name) {
		return this.named.computeIfAbsent(name, (n) -> {
			Path store = this.dir.resolve(n.replace('*', '_') + ".p12");
			try {
				keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
						"CN=" + n, "-ext", "SAN=dns:" + n + ",ip:127.0.0.1", "-validity", "2", "-keystore",
						store.toString());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			store.toFile().deleteOnExit();
			return store;
		});
	}

	private static Certificate certificate(Path keyStore) throws IOException, GeneralSecurityException {
		return load(keyStore).getCertificate("server");
	}

	/** A client trusting the server, presenting no certificate. */
	SSLContext clientContext() {
		return context(null, this.serverKeyStore);
	}

	/** A client trusting the server and presenting its own certificate. */
	SSLContext clientContextWithCertificate() {
		return context(this.clientKeyStore, this.serverKeyStore);
	}

	private static SSLContext context(Path keys, Path trusted) {
		try {
			KeyManagerFactory kmf = null;
			if (keys != null) {
				kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
				kmf.init(load(keys), PASSWORD);
			}
			TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			tmf.init(load(trusted));
			SSLContext context = SSLContext.getInstance("TLS");
			context.init((kmf != null) ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
			return context;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KeyStore load(Path path) throws IOException, GeneralSecurityException {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(path)) {
			store.load(in, PASSWORD);
		}
		return store;
	}

	private static void keytool(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(args));
		command.addAll(List.of("-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-noprompt"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IOException("keytool failed: " + out);
		}
	}

}
