package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Peers that get TLS wrong, and client certificates: each is turned away, leaves no file
 * behind, and the server goes on serving others.
 */
class TlsFaultTests extends ServerFixture {

	private static final TestCertificates CERTS = TestCertificates.get();

	private static final Handler WHO = (req, res) -> {
		var cert = req.peerCertificate();
		res.send((cert != null) ? cert.getSubjectX500Principal().getName() : "anonymous");
	};

	private int startTls(Handler handler, TlsOptions tls) throws IOException {
		return start(options().timeouts((t) -> t.withTimeout(Duration.ofSeconds(1))), handler, null, null, tls);
	}

	private int startTls(Handler handler) throws IOException {
		return startTls(handler, TlsOptions.of(CERTS.serverContext()));
	}

	private static String get(SSLContext client, int port) throws Exception {
		String reply = TlsTests.exchange(client, port, "GET /who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
		assertThat(reply).startsWith("HTTP/1.1 200");
		return reply.substring(reply.indexOf("\r\n\r\n") + 4);
	}

	/** Reads until the server closes; a reset counts as closed. */
	private static byte[] readToEnd(Socket socket) throws IOException {
		socket.setSoTimeout(10_000);
		InputStream in = socket.getInputStream();
		try {
			return in.readAllBytes();
		}
		catch (java.net.SocketException ex) {
			return new byte[0];
		}
	}

	@Test
	void handshakeGarbageIsClosed() throws Exception {
		int port = startTls(WHO);
		try (Socket socket = new Socket("127.0.0.1", port)) {
			OutputStream out = socket.getOutputStream();
			out.write(new byte[] { 0x16, 0x03, 0x03, 0x00, 0x20 });
			out.write(HttpServerTests.randomBytes(32, 5));
			out.flush();
			byte[] answer = readToEnd(socket);
			assertThat(answer.length).isLessThan(64); // an alert at most
		}
		assertThat(get(CERTS.clientContext(), port)).isEqualTo("anonymous");
	}

	@Test
	void plainHttpOnTheTlsPortGetsA400InCleartext() throws Exception {
		int port = startTls(WHO);
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			String answer = new String(readToEnd(socket), StandardCharsets.US_ASCII);
			assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").endsWith("expects HTTPS (TLS) requests\n");
		}
		assertThat(get(CERTS.clientContext(), port)).isEqualTo("anonymous");
	}

	@Test
	void aClientStallingMidHandshakeIsClosedByTheRequestTimeout() throws Exception {
		int port = startTls(WHO);
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.getOutputStream().write(new byte[] { 0x16, 0x03, 0x01, 0x01, 0x00, 0x01 });
			socket.getOutputStream().flush();
			assertThat(readToEnd(socket).length).isLessThan(64);
		}
		assertThat(get(CERTS.clientContext(), port)).isEqualTo("anonymous");
	}

	@Test
	void aConnectionIdleAfterItsHandshakeIsClosedQuietlyLikeAnIdleOne() throws Exception {
		int port = start(
				options()
					.timeouts((t) -> t.withTimeout(Duration.ofSeconds(2)).withKeepAliveTimeout(Duration.ofMillis(300))),
				WHO, null, null, TlsOptions.of(CERTS.serverContext()));
		try (SSLSocket socket = (SSLSocket) CERTS.clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
			socket.startHandshake();
			assertThat(readToEnd(socket)).isEmpty(); // no 408: nothing was asked
		}
	}

	@Test
	void renegotiationMidUploadIsRefused() throws Exception {
		int port = startTls(ServerFixture.ECHO);
		byte[] body = HttpServerTests.randomBytes(2_000_000, 9);
		try (SSLSocket socket = (SSLSocket) CERTS.clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
			socket.setEnabledProtocols(new String[] { "TLSv1.2" });
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("PUT /put HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: "
					+ body.length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(body, 0, body.length / 2);
			out.flush();
			assertThatThrownBy(() -> {
				socket.startHandshake();
				out.write(body, body.length / 2, body.length / 2);
				out.flush();
				if (socket.getInputStream().read() < 0) {
					throw new SSLException("closed");
				}
			}).isInstanceOf(IOException.class);
		}
		awaitTmpEmpty();
		assertThat(get(CERTS.clientContext(), port)).isEqualTo("GET /who\n");
	}

	@Test
	void aRefusedUploadIsAnsweredOverTlsAndLeavesNothing() throws Exception {
		int port = start(options().limits((l) -> l.withMaxRequestBytes(1_000_000)), ServerFixture.ECHO, null, null,
				TlsOptions.of(CERTS.serverContext()));
		byte[] body = HttpServerTests.randomBytes(3_000_000, 10);
		try (SSLSocket socket = (SSLSocket) CERTS.clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("PUT /put HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
					+ "Transfer-Encoding: chunked\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			StringBuilder reply = new StringBuilder();
			try {
				for (int at = 0; at < body.length; at += 100_000) {
					out.write(("186a0\r\n").getBytes(StandardCharsets.US_ASCII));
					out.write(body, at, 100_000);
					out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
				}
				out.flush();
			}
			catch (IOException ex) {
				// the server stopped reading once it answered
			}
			reply.append(new String(readToEnd(socket), StandardCharsets.US_ASCII));
			assertThat(reply).startsWith("HTTP/1.1 413");
		}
		awaitTmpEmpty();
		assertThat(get(CERTS.clientContext(), port)).isEqualTo("GET /who\n");
	}

	@Test
	void aRequiredClientCertificateReachesTheRequest() throws Exception {
		int port = startTls(WHO, TlsOptions.of(CERTS.serverContext()).withClientAuth(TlsOptions.ClientAuth.NEED));
		assertThat(get(CERTS.clientContextWithCertificate(), port)).isEqualTo("CN=test-client");
		assertThatThrownBy(() -> get(CERTS.clientContext(), port)).isInstanceOfAny(SSLHandshakeException.class,
				SSLException.class, java.net.SocketException.class);
		assertThat(get(CERTS.clientContextWithCertificate(), port)).isEqualTo("CN=test-client");
	}

	@Test
	void aReadBufferTooSmallForARecordIsRefused() {
		assertThatThrownBy(() -> start(options().network((n) -> n.withReadBufferBytes(16 * 1024)), WHO, null, null,
				TlsOptions.of(CERTS.serverContext())))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("readBufferBytes");
	}

	@Test
	void aWantedClientCertificateIsOptional() throws Exception {
		int port = startTls(WHO, TlsOptions.of(CERTS.serverContext()).withClientAuth(TlsOptions.ClientAuth.WANT));
		assertThat(get(CERTS.clientContext(), port)).isEqualTo("anonymous");
		assertThat(get(CERTS.clientContextWithCertificate(), port)).isEqualTo("CN=test-client");
	}

}
