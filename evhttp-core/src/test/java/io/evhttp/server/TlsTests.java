package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests over TLS from real clients: uploads checked by SHA-256 over TLS 1.2 and 1.3,
 * keep-alive, pipelining, {@code 100-continue}, a download through {@code sendFile}.
 */
class TlsTests extends ServerFixture {

	static final TestCertificates CERTS = TestCertificates.get();

	private static final byte[] FILE = HttpServerTests.randomBytes(3_000_000, 41);

	int startTls(Handler handler) throws Exception {
		return start(options(), handler, null, null, TlsOptions.of(CERTS.serverContext()));
	}

	static HttpClient client(String protocol) {
		SSLParameters params = new SSLParameters();
		params.setProtocols(new String[] { protocol });
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.sslContext(CERTS.clientContext())
			.sslParameters(params)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	}

	static String sha256(byte[] data) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
	}

	@ParameterizedTest
	@ValueSource(strings = { "TLSv1.3", "TLSv1.2" })
	void multipartUploadIsStoredIntact(String protocol) throws Exception {
		Set<String> protocols = ConcurrentHashMap.newKeySet();
		int port = startTls((req, res) -> {
			protocols.add(req.sslSession().getProtocol());
			ECHO.handle(req, res);
		});
		byte[] body = new Multipart().field("title", "report").file("doc", "a.bin", "application/pdf", FILE).build();
		HttpResponse<String> response = client(protocol)
			.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/up"))
				.header("Content-Type", Multipart.contentType())
				.POST(HttpRequest.BodyPublishers.ofByteArray(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("POST /up\nfield title=[report]\nfile doc a.bin application/pdf "
				+ FILE.length + " " + sha256(FILE) + "\n");
		assertThat(protocols).containsExactly(protocol);
		awaitTmpEmpty();
	}

	@Test
	void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
		Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
		int port = startTls((req, res) -> {
			clientPorts.add(req.remoteAddress().getPort());
			ECHO.handle(req, res);
		});
		HttpClient client = client("TLSv1.3");
		for (int i = 0; i < 5; i++) {
			HttpResponse<String> response = client
				.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/put"))
					.header("Content-Type", "application/octet-stream")
					.PUT(HttpRequest.BodyPublishers.ofByteArray(FILE))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.body())
				.isEqualTo("PUT /put\nbody application/octet-stream " + FILE.length + " " + sha256(FILE) + "\n");
		}
		assertThat(clientPorts).hasSize(1);
		awaitTmpEmpty();
	}

	@Test
	void expectContinueIsAnsweredBeforeTheBody() throws Exception {
		int port = startTls(ECHO);
		HttpResponse<String> response = client("TLSv1.2")
			.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/put"))
				.expectContinue(true)
				.header("Content-Type", "application/octet-stream")
				.PUT(HttpRequest.BodyPublishers.ofByteArray(FILE))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.body())
			.isEqualTo("PUT /put\nbody application/octet-stream " + FILE.length + " " + sha256(FILE) + "\n");
		awaitTmpEmpty();
	}

	@Test
	void pipelinedRequestsAreAnsweredInOrder() throws Exception {
		int port = startTls((req, res) -> res.send(req.path()));
		try (SSLSocket socket = (SSLSocket) CERTS.clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			StringBuilder requests = new StringBuilder();
			for (int i = 0; i < 20; i++) {
				requests.append("GET /r").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
			}
			requests.append("GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
			socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			int at = 0;
			for (int i = 0; i < 20; i++) {
				at = all.indexOf("\r\n\r\n/r" + i, at);
				assertThat(at).as("response %d", i).isPositive();
			}
			assertThat(all).endsWith("\r\n\r\n/last");
		}
	}

	@Test
	void largeFileIsSentEncrypted() throws Exception {
		byte[] data = HttpServerTests.randomBytes(20_000_000, 42);
		Path file = Files.write(this.tmp.resolveSibling(this.tmp.getFileName() + "-download.bin"), data);
		try {
			int port = startTls((req, res) -> res.contentType("application/octet-stream").sendFile(file));
			HttpResponse<InputStream> response = client("TLSv1.3").send(
					HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/f")).build(),
					HttpResponse.BodyHandlers.ofInputStream());
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			long total = 0;
			try (InputStream in = response.body()) {
				byte[] buf = new byte[65536];
				int n;
				while ((n = in.read(buf)) > 0) {
					digest.update(buf, 0, n);
					total += n;
				}
			}
			assertThat(total).isEqualTo(data.length);
			assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(sha256(data));
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	@Test
	void curlUploadsWithTheCertificateAsItsAuthority() throws Exception {
		org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")));
		int port = startTls(ECHO);
		Path file = Files.write(this.tmp.resolveSibling(this.tmp.getFileName() + "-curl.bin"), FILE);
		try {
			for (String version : List.of("--tlsv1.2", "--tlsv1.3")) {
				Process process = new ProcessBuilder("curl", "-s", "--max-time", "20", version, "--cacert",
						CERTS.serverPem.toString(), "-F", "doc=@" + file + ";type=application/pdf",
						"https://127.0.0.1:" + port + "/up")
					.redirectErrorStream(true)
					.start();
				String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				assertThat(process.waitFor()).isZero();
				assertThat(out).isEqualTo("POST /up\nfile doc " + file.getFileName() + " application/pdf " + FILE.length
						+ " " + sha256(FILE) + "\n");
			}
		}
		finally {
			Files.deleteIfExists(file);
		}
		awaitTmpEmpty();
	}

	/** Sends {@code request} over a TLS socket and reads until the server closes. */
	static String exchange(SSLContext context, int port, String request) throws Exception {
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			socket.getInputStream().transferTo(received);
			return received.toString(StandardCharsets.US_ASCII);
		}
	}

}
