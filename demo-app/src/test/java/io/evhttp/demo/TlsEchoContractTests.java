package io.evhttp.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The echo contract over TLS: the demo started as the README says, with a self-signed PEM
 * bundle ({@code spring.ssl.bundle.pem.demo.*}, {@code evhttp.ssl.bundle=demo}), and
 * every test of {@link EchoContractTests} through a TLS client.
 */
@DirtiesContext
class TlsEchoContractTests extends EchoContractTests {

	private static Path dir;

	private static SSLContext client;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry registry) throws Exception {
		dir = Files.createTempDirectory("evhttp-demo-tls");
		Process process = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
				"ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-keyout", dir.resolve("key.pem").toString(),
				"-out", dir.resolve("cert.pem").toString(), "-subj", "/CN=localhost", "-addext",
				"subjectAltName=DNS:localhost,IP:127.0.0.1")
			.redirectErrorStream(true)
			.start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IOException("openssl failed: " + out);
		}
		registry.add("spring.ssl.bundle.pem.demo.keystore.certificate", () -> "file:" + dir.resolve("cert.pem"));
		registry.add("spring.ssl.bundle.pem.demo.keystore.private-key", () -> "file:" + dir.resolve("key.pem"));
		registry.add("evhttp.ssl.bundle", () -> "demo");
		KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
		trusted.load(null, null);
		try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
			trusted.setCertificateEntry("demo", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		tmf.init(trusted);
		client = SSLContext.getInstance("TLS");
		client.init(null, tmf.getTrustManagers(), null);
		for (Path file : List.of(dir.resolve("cert.pem"), dir.resolve("key.pem"), dir)) {
			file.toFile().deleteOnExit();
		}
	}

	@Override
	Socket connect() throws IOException {
		SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", this.port);
		socket.startHandshake();
		return socket;
	}

}
