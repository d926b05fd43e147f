package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One TLS listener, several certificates chosen by the name the client asks for (SNI):
 * exact names, a wildcard, the default for unknown names and for none, a ClientHello
 * trickling in a byte at a time, and an upload over a chosen certificate.
 */
class SniTests extends ServerFixture {

	private static final TestCertificates CERTS = TestCertificates.get();

	private static final String[] NAMES = { "one.example", "two.example", "*.wild.example" };

	private static final Handler WHO = (req, res) -> res
		.send(((X509Certificate) req.sslSession().getLocalCertificates()[0]).getSubjectX500Principal().getName());

	private int startSni(Handler handler) throws IOException {
		TlsOptions tls = TlsOptions.of(CERTS.serverContext());
		for (String name : NAMES) {
			tls = tls.withServerName(name, CERTS.serverContext(name));
		}
		return start(options().timeouts((t) -> t.withTimeout(Duration.ofSeconds(2))), handler, null, null, tls);
	}

	private static SSLContext client() {
		return CERTS.clientContextTrusting(NAMES);
	}

	/** The subject of the certificate presented to a client asking for {@code name}. */
	private static String presentedTo(String name, int port) throws IOException {
		try (SSLSocket socket = (SSLSocket) client().getSocketFactory().createSocket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			SSLParameters params = socket.getSSLParameters();
			params.setServerNames((name != null) ? List.of(new SNIHostName(name)) : List.of());
			socket.setSSLParameters(params);
			socket.startHandshake();
			return subject(socket.getSession());
		}
	}

	private static String subject(SSLSession session) throws IOException {
		return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
	}

	@ParameterizedTest
	@CsvSource({ "one.example, CN=one.example", "two.example, CN=two.example", "ONE.Example, CN=one.example",
			"a.wild.example, CN=*.wild.example", "b.WILD.example, CN=*.wild.example", "wild.example, CN=localhost",
			"a.b.wild.example, CN=localhost", "unknown.example, CN=localhost" })
	void eachNameGetsItsCertificate(String name, String subject) throws Exception {
		int port = startSni(WHO);
		assertThat(presentedTo(name, port)).isEqualTo(subject);
	}

	@Test
	void aClientAskingForNoNameGetsTheDefault() throws Exception {
		int port = startSni(WHO);
		assertThat(presentedTo(null, port)).isEqualTo("CN=localhost");
	}

	@Test
	void theHandlerSeesTheCertificateItsConnectionWasServedWith() throws Exception {
		int port = startSni(WHO);
		try (SSLSocket socket = (SSLSocket) client().getSocketFactory().createSocket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			SSLParameters params = socket.getSSLParameters();
			params.setServerNames(List.of(new SNIHostName("two.example")));
			socket.setSSLParameters(params);
			socket.getOutputStream()
				.write("GET / HTTP/1.1\r\nHost: two.example\r\nConnection: close\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
			String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			assertThat(reply).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nCN=two.example");
		}
	}

	@Test
	void aClientHelloTricklingInAByteAtATimeStillChoosesByName() throws Exception {
		int port = startSni(WHO);
		SSLEngine engine = client().createSSLEngine("two.example", port);
		engine.setUseClientMode(true);
		SSLParameters params = engine.getSSLParameters();
		params.setServerNames(List.of(new SNIHostName("two.example")));
		engine.setSSLParameters(params);
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			socket.setTcpNoDelay(true);
			new EngineHandshake(engine, socket).run();
			assertThat(subject(engine.getSession())).isEqualTo("CN=two.example");
		}
	}

	@Test
	void anUploadOverAChosenCertificateIsStoredIntact() throws Exception {
		int port = startSni(ECHO);
		byte[] file = HttpServerTests.randomBytes(2_000_000, 77);
		SSLParameters params = new SSLParameters();
		params.setServerNames(List.of(new SNIHostName("x.wild.example")));
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.sslContext(client())
			.sslParameters(params)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
		HttpResponse<String> response = client
			.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/put"))
				.header("Content-Type", "application/octet-stream")
				.PUT(HttpRequest.BodyPublishers.ofByteArray(file))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(subject(response.sslSession().orElseThrow())).isEqualTo("CN=*.wild.example");
		assertThat(response.body())
			.isEqualTo("PUT /put\nbody application/octet-stream " + file.length + " " + TlsTests.sha256(file) + "\n");
		awaitTmpEmpty();
	}

	@Test
	void handshakeGarbageIsClosedAndOthersAreServed() throws Exception {
		int port = startSni(WHO);
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(new byte[] { 0x16, 0x03, 0x03, 0x00, 0x20 });
			out.write(HttpServerTests.randomBytes(32, 5));
			out.flush();
			assertThat(readToEnd(socket).length).isLessThan(64); // an alert at most
		}
		assertThat(presentedTo("one.example", port)).isEqualTo("CN=one.example");
	}

	@Test
	void anOversizedRecordIsClosedAndOthersAreServed() throws Exception {
		int port = startSni(WHO);
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(new byte[] { 0x16, 0x03, 0x03, 0x48, 0x01, 0x01 });
			out.write(new byte[1024]);
			out.flush();
			assertThat(readToEnd(socket).length).isLessThan(64);
		}
		assertThat(presentedTo(null, port)).isEqualTo("CN=localhost");
	}

	@Test
	void plainHttpStillGetsA400InCleartext() throws Exception {
		int port = startSni(WHO);
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			assertThat(new String(readToEnd(socket), StandardCharsets.US_ASCII))
				.startsWith("HTTP/1.1 400 Bad Request\r\n");
		}
	}

	/** Reads until the server closes; a reset counts as closed. */
	private static byte[] readToEnd(Socket socket) throws IOException {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		try (InputStream in = socket.getInputStream()) {
			in.transferTo(all);
		}
		catch (java.net.SocketException ex) {
			// reset
		}
		return all.toByteArray();
	}

	/**
	 * Drives a client engine's handshake over a blocking socket, sending its first flight
	 * one byte per write.
	 */
	private record EngineHandshake(SSLEngine engine, Socket socket) {

		void run() throws Exception {
			OutputStream out = this.socket.getOutputStream();
			DataInputStream in = new DataInputStream(this.socket.getInputStream());
			int packet = this.engine.getSession().getPacketBufferSize();
			ByteBuffer netOut = ByteBuffer.allocate(packet);
			ByteBuffer netIn = ByteBuffer.allocate(2 * packet);
			ByteBuffer app = ByteBuffer.allocate(2 * this.engine.getSession().getApplicationBufferSize());
			boolean first = true;
			this.engine.beginHandshake();
			while (true) {
				HandshakeStatus status = this.engine.getHandshakeStatus();
				switch (status) {
					case NEED_WRAP -> {
						netOut.clear();
						this.engine.wrap(ByteBuffer.allocate(0), netOut);
						if (first) {
							for (int i = 0; i < netOut.position(); i++) {
								out.write(netOut.array()[i]);
								out.flush();
							}
							first = false;
						}
						else {
							out.write(netOut.array(), 0, netOut.position());
							out.flush();
						}
					}
					case NEED_UNWRAP -> {
						netIn.flip();
						var result = this.engine.unwrap(netIn, app);
						netIn.compact();
						if (result.getStatus() == javax.net.ssl.SSLEngineResult.Status.BUFFER_UNDERFLOW) {
							byte[] header = new byte[5];
							in.readFully(header);
							byte[] body = new byte[(header[3] & 0xff) << 8 | header[4] & 0xff];
							in.readFully(body);
							netIn.put(header).put(body);
						}
					}
					case NEED_TASK -> {
						Runnable task;
						while ((task = this.engine.getDelegatedTask()) != null) {
							task.run();
						}
					}
					default -> {
						return; // finished
					}
				}
			}
		}

	}

}
