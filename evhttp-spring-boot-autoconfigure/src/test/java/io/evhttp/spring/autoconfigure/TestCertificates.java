package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Self-signed certificates made with openssl, and a client that trusts them. */
final class TestCertificates {

	private TestCertificates() {
	}

	/**
	 * An EC key and a certificate for {@code /CN=cn}, valid two days, with
	 * {@code subjectAltName}.
	 */
	static void selfSigned(Path key, Path cert, String cn, String subjectAltName) throws Exception {
		openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
				key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + cn, "-addext",
				"subjectAltName=" + subjectAltName);
	}

	/**
	 * A PKCS12 store of {@code key} and {@code cert} under {@code alias}, password
	 * "secret".
	 */
	static void pkcs12(Path key, Path cert, Path store, String alias) throws Exception {
		openssl("pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(), "-out", store.toString(),
				"-passout", "pass:secret", "-name", alias);
	}

	/** A client context that trusts exactly the PEM certificates given. */
	static SSLContext trusting(List<Path> certificates) throws Exception {
		KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
		trusted.load(null, null);
		CertificateFactory factory = CertificateFactory.getInstance("X.509");
		for (Path certificate : certificates) {
			try (InputStream in = Files.newInputStream(certificate)) {
				trusted.setCertificateEntry(certificate.getFileName().toString(), factory.generateCertificate(in));
			}
		}
		TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		tmf.init(trusted);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, tmf.getTrustManagers(), null);
		return context;
	}

	private static void openssl(String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("openssl"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(out).isZero();
	}

}
