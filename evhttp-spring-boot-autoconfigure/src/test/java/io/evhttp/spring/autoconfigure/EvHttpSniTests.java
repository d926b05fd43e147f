package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.UploadedFile;
import io.evhttp.spring.EvUploadHandler;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code evhttp.ssl.server-name-bundles} serves several SSL bundles (PEM and PKCS12) on
 * one port, chosen by the name the client asks for (SNI), each reloading on its own, and
 * a missing one fails startup naming its property.
 */
class EvHttpSniTests {

	private static final List<String> CERTIFICATES = List.of("default", "one.example", "*.two.example", "renewed");

	@TempDir
	static Path certs;

	@TempDir
	Path tmp;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EvHttpAutoConfiguration.class))
		.withUserConfiguration(App.class);

	@BeforeAll
	static void makeCertificates() throws Exception {
		for (String name : CERTIFICATES) {
			TestCertificates.selfSigned(pem(name, "key"), pem(name, "cert"), name, "DNS:" + name + ",IP:127.0.0.1");
		}
		TestCertificates.pkcs12(pem("*.two.example", "key"), pem("*.two.example", "cert"), certs.resolve("two.p12"),
				"two");
	}

	@Test
	void eachServerNameGetsItsBundlesCertificate() {
		this.runner.withPropertyValues(properties()).run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			assertThat(presentedTo("one.example", port)).isEqualTo("CN=one.example");
			assertThat(presentedTo("ONE.example", port)).isEqualTo("CN=one.example");
			assertThat(presentedTo("api.two.example", port)).isEqualTo("CN=*.two.example");
			assertThat(presentedTo("unknown.example", port)).isEqualTo("CN=default");
			assertThat(presentedTo(null, port)).isEqualTo("CN=default");
		});
	}

	@Test
	void anUploadOverAChosenCertificateIsStoredIntact() {
		this.runner.withPropertyValues(properties()).run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			byte[] file = new byte[3_000_000];
			new Random(7).nextBytes(file);
			SSLParameters params = new SSLParameters();
			params.setServerNames(List.of(new SNIHostName("one.example")));
			HttpResponse<String> response = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.sslContext(clientContext())
				.sslParameters(params)
				.build()
				.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/who"))
					.header("Content-Type", "application/octet-stream")
					.PUT(HttpRequest.BodyPublishers.ofByteArray(file))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(subject((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]))
				.isEqualTo("CN=one.example");
			assertThat(response.body()).isEqualTo("CN=one.example " + file.length + " " + sha256(file));
		});
	}

	@Test
	void aServerNameBundleReloadsForNewConnections() throws Exception {
		Path dir = Files.createDirectories(this.tmp.resolve("reloading"));
		copy("one.example", dir);
		this.runner
			.withPropertyValues(properties("spring.ssl.bundle.pem.one.reload-on-update=true",
					"spring.ssl.bundle.watch.file.quiet-period=100ms",
					"spring.ssl.bundle.pem.one.keystore.certificate=file:" + dir.resolve("cert.pem"),
					"spring.ssl.bundle.pem.one.keystore.private-key=file:" + dir.resolve("key.pem")))
			.run((context) -> {
				int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
				assertThat(presentedTo("one.example", port)).isEqualTo("CN=one.example");
				copy("renewed", dir);
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(presentedTo("one.example", port)).isEqualTo("CN=renewed"));
				assertThat(presentedTo(null, port)).isEqualTo("CN=default");
			});
	}

	@Test
	void aMissingServerNameBundleFailsStartupNamingItsProperty() {
		this.runner
			.withPropertyValues(properties("evhttp.ssl.server-name-bundles[2].server-name=three.example",
					"evhttp.ssl.server-name-bundles[2].bundle=three"))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new EvHttpFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("evhttp.ssl.server-name-bundles[2].bundle", "'three'",
						"not configured");
				assertThat(analysis.getAction()).contains("spring.ssl.bundle.pem.three",
						"evhttp.ssl.server-name-bundles[2].bundle");
			});
	}

	@Test
	void aServerNameThatIsNoHostNameFailsStartupNamingItsProperty() {
		this.runner.withPropertyValues(properties("evhttp.ssl.server-name-bundles[0].server-name=*.*.example"))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new EvHttpFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("evhttp.ssl.server-name-bundles[0].server-name",
						"*.*.example");
			});
	}

	/** The default bundle (PEM), one.example (PEM), *.two.example (PKCS12). */
	private String[] properties(String... more) {
		List<String> all = new ArrayList<>(List.of("evhttp.port=0", "evhttp.tmp-path=" + this.tmp.resolve("up"),
				"spring.ssl.bundle.pem.default.keystore.certificate=file:" + pem("default", "cert"),
				"spring.ssl.bundle.pem.default.keystore.private-key=file:" + pem("default", "key"),
				"spring.ssl.bundle.pem.one.keystore.certificate=file:" + pem("one.example", "cert"),
				"spring.ssl.bundle.pem.one.keystore.private-key=file:" + pem("one.example", "key"),
				"spring.ssl.bundle.jks.two.keystore.location=file:" + certs.resolve("two.p12"),
				"spring.ssl.bundle.jks.two.keystore.password=secret", "spring.ssl.bundle.jks.two.keystore.type=PKCS12",
				"evhttp.ssl.bundle=default", "evhttp.ssl.server-name-bundles[0].server-name=one.example",
				"evhttp.ssl.server-name-bundles[0].bundle=one",
				"evhttp.ssl.server-name-bundles[1].server-name=*.two.example",
				"evhttp.ssl.server-name-bundles[1].bundle=two"));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	private static SSLContext clientContext() throws Exception {
		return TestCertificates.trusting(CERTIFICATES.stream().map((name) -> pem(name, "cert")).toList());
	}

	private static Path pem(String name, String kind) {
		return certs.resolve(name.replace('*', '_') + "-" + kind + ".pem");
	}

	private static void copy(String name, Path dir) throws Exception {
		Files.copy(pem(name, "key"), dir.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
		Files.copy(pem(name, "cert"), dir.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
	}

	/** The subject of the certificate presented to a client asking for {@code name}. */
	private static String presentedTo(String name, int port) throws Exception {
		try (SSLSocket socket = (SSLSocket) clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			SSLParameters params = socket.getSSLParameters();
			params.setServerNames((name != null) ? List.of(new SNIHostName(name)) : List.of());
			socket.setSSLParameters(params);
			socket.startHandshake();
			return subject((X509Certificate) socket.getSession().getPeerCertificates()[0]);
		}
	}

	private static String subject(X509Certificate certificate) {
		return certificate.getSubjectX500Principal().getName();
	}

	static String sha256(byte[] data) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
	}

	@Configuration(proxyBeanMethods = false)
	static class App {

		@Bean
		Who who() {
			return new Who();
		}

	}

	/**
	 * Answers with the certificate its connection was served with and, for an upload, the
	 * size and SHA-256 of what was stored.
	 */
	@EvUploadHandler(path = "/who")
	static class Who implements Handler {

		@Override
		public void handle(Request request, Response response) throws Exception {
			X509Certificate mine = (X509Certificate) request.sslSession().getLocalCertificates()[0];
			StringBuilder answer = new StringBuilder(subject(mine));
			UploadedFile body = request.body();
			if (body != null) {
				try (InputStream in = body.inputStream()) {
					byte[] stored = in.readAllBytes();
					answer.append(' ').append(stored.length).append(' ').append(sha256(stored));
				}
			}
			response.send(answer.toString());
		}

	}

}
