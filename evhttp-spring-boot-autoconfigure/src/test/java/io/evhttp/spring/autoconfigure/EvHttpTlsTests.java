package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.spring.EvUploadHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * {@code evhttp.ssl.bundle} serves the listeners over TLS from a Spring Boot SSL bundle
 * (PEM or PKCS12), reloads it for new connections, and explains a missing one.
 */
class EvHttpTlsTests {

	@TempDir
	static Path certs;

	@TempDir
	Path tmp;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, EvHttpAutoConfiguration.class))
		.withUserConfiguration(App.class);

	@BeforeAll
	static void makeCertificates() throws Exception {
		for (String name : List.of("one", "two")) {
			TestCertificates.selfSigned(certs.resolve(name + "-key.pem"), certs.resolve(name + "-cert.pem"), name,
					"IP:127.0.0.1");
		}
		TestCertificates.pkcs12(certs.resolve("one-key.pem"), certs.resolve("one-cert.pem"), certs.resolve("one.p12"),
				"web");
	}

	@Test
	void pemBundleServesTheListenersOverTls() {
		this.runner
			.withPropertyValues(
					properties(cert("one"), key("one"), "evhttp.ssl.bundle=web", "evhttp.ssl.client-auth=want"))
			.run((context) -> {
				int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
				assertThat(get(port)).isEqualTo("secure CN=one");
			});
	}

	@Test
	void pkcs12BundleServesTheListenersOverTls() {
		this.runner
			.withPropertyValues(
					properties("spring.ssl.bundle.jks.web.keystore.location=file:" + certs.resolve("one.p12"),
							"spring.ssl.bundle.jks.web.keystore.password=secret",
							"spring.ssl.bundle.jks.web.keystore.type=PKCS12",
							"spring.ssl.bundle.jks.web.options.enabled-protocols=TLSv1.2", "evhttp.ssl.bundle=web"))
			.run((context) -> {
				int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
				try (SSLSocket socket = connect(port)) {
					assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
				}
			});
	}

	@Test
	void reloadedBundleServesNewConnectionsWhileOpenOnesKeepTheirs() throws Exception {
		Path dir = Files.createDirectories(this.tmp.resolve("reloading"));
		copy("one", dir);
		this.runner
			.withPropertyValues(properties("spring.ssl.bundle.pem.web.reload-on-update=true",
					"spring.ssl.bundle.watch.file.quiet-period=100ms",
					"spring.ssl.bundle.pem.web.keystore.certificate=file:" + dir.resolve("cert.pem"),
					"spring.ssl.bundle.pem.web.keystore.private-key=file:" + dir.resolve("key.pem"),
					"evhttp.ssl.bundle=web"))
			.run((context) -> {
				int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
				try (SSLSocket open = connect(port)) {
					assertThat(subject(open)).isEqualTo("CN=one");
					copy("two", dir);
					await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
						try (SSLSocket fresh = connect(port)) {
							assertThat(subject(fresh)).isEqualTo("CN=two");
						}
					});
					open.getOutputStream()
						.write("GET /who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
							.getBytes(StandardCharsets.US_ASCII));
					String reply = new String(open.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
					assertThat(reply).startsWith("HTTP/1.1 200").endsWith("secure CN=one");
				}
			});
	}

	@Test
	void missingBundleFailsStartupWithAnAnalysisNamingIt() {
		this.runner.withPropertyValues(properties("evhttp.ssl.bundle=nowhere")).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new EvHttpFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'nowhere'", "not configured");
			assertThat(analysis.getAction()).contains("spring.ssl.bundle.pem.nowhere");
		});
	}

	@Test
	void disabledSslServesCleartext() {
		this.runner
			.withPropertyValues(
					properties(cert("one"), key("one"), "evhttp.ssl.bundle=web", "evhttp.ssl.enabled=false"))
			.run((context) -> {
				int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
				String body = HttpClient.newHttpClient()
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/who")).build(),
							HttpResponse.BodyHandlers.ofString())
					.body();
				assertThat(body).isEqualTo("cleartext");
			});
	}

	@Test
	void aHandlerNamingABundleGetsTlsOnItsOwnPort() {
		this.runner.withUserConfiguration(SecureApp.class)
			.withPropertyValues(properties(cert("one"), key("one")))
			.run((context) -> {
				int plain = context.getEnvironment().getRequiredProperty("local.evhttp.port.who", Integer.class);
				int secure = context.getEnvironment().getRequiredProperty("local.evhttp.port.secureWho", Integer.class);
				assertThat(secure).isNotEqualTo(plain);
				assertThat(get(secure, "/secure/who")).isEqualTo("secure CN=one");
				String body = HttpClient.newHttpClient()
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plain + "/who")).build(),
							HttpResponse.BodyHandlers.ofString())
					.body();
				assertThat(body).isEqualTo("cleartext");
			});
	}

	@Test
	void handlersSharingAPortWithDifferentBundlesFailStartup() {
		this.runner.withUserConfiguration(ConflictingApp.class)
			.withPropertyValues(properties(cert("one"), key("one"), "evhttp.ssl.bundle=web"))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new EvHttpFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("different SSL bundles [web, other]");
			});
	}

	private String[] properties(String... more) {
		List<String> all = new ArrayList<>(List.of("evhttp.port=0", "evhttp.tmp-path=" + this.tmp.resolve("up")));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	private static String cert(String name) {
		return "spring.ssl.bundle.pem.web.keystore.certificate=file:" + certs.resolve(name + "-cert.pem");
	}

	private static String key(String name) {
		return "spring.ssl.bundle.pem.web.keystore.private-key=file:" + certs.resolve(name + "-key.pem");
	}

	private static void copy(String name, Path dir) throws Exception {
		Files.copy(certs.resolve(name + "-key.pem"), dir.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
		Files.copy(certs.resolve(name + "-cert.pem"), dir.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
	}

	private static String get(int port) throws Exception {
		return get(port, "/who");
	}

	private static String get(int port, String path) throws Exception {
		return HttpClient.newBuilder()
			.sslContext(
					TestCertificates.trusting(List.of(certs.resolve("one-cert.pem"), certs.resolve("two-cert.pem"))))
			.build()
			.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
	}

	private static SSLSocket connect(int port) throws Exception {
		SSLSocket socket = (SSLSocket) TestCertificates
			.trusting(List.of(certs.resolve("one-cert.pem"), certs.resolve("two-cert.pem")))
			.getSocketFactory()
			.createSocket("127.0.0.1", port);
		socket.setSoTimeout(10_000);
		socket.startHandshake();
		return socket;
	}

	private static String subject(SSLSocket socket) throws Exception {
		return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
	}

	@Configuration(proxyBeanMethods = false)
	static class App {

		@Bean
		Who who() {
			return new Who();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecureApp {

		@Bean
		SecureWho secureWho() {
			return new SecureWho();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ConflictingApp {

		@Bean
		OtherWho otherWho() {
			return new OtherWho();
		}

	}

	@EvUploadHandler(path = "/secure/**", port = "0", sslBundle = "web")
	static class SecureWho extends Who {

	}

	@EvUploadHandler(path = "/other/**", sslBundle = "other")
	static class OtherWho extends Who {

	}

	/** Says whether the request came over TLS, and with which server certificate. */
	@EvUploadHandler(path = "/who")
	static class Who implements Handler {

		@Override
		public void handle(Request request, Response response) throws Exception {
			if (!request.isSecure()) {
				response.send("cleartext");
				return;
			}
			X509Certificate mine = (X509Certificate) request.sslSession().getLocalCertificates()[0];
			response.send("secure " + mine.getSubjectX500Principal().getName());
		}

	}

}
