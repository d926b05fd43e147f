package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hostile clients over real sockets: pipelined floods, clients that never read, many idle
 * connections, part-count floods. The server stays bounded and keeps serving others.
 */
class AttackTests extends ServerFixture {

	@Test
	void pipelinedFloodIsAnsweredInOrderWithoutBufferingItAll() throws Exception {
		int port = start(ECHO);
		int requests = 20_000;
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(20_000);
			CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
				try {
					OutputStream out = socket.getOutputStream();
					byte[] batch = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".repeat(500)
						.getBytes(StandardCharsets.US_ASCII);
					for (int i = 0; i < requests / 500; i++) {
						out.write(batch);
					}
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
			byte[] expectedBody = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
			for (int i = 0; i < requests; i++) {
				assertThat(readResponseBody(in)).as("response %d", i).isEqualTo(expectedBody);
			}
			writer.get(20, TimeUnit.SECONDS);
		}
	}

	@Test
	void clientThatNeverReadsIsNotBufferedWithoutBound() throws Exception {
		int port = start(options().timeouts((t) -> t.withTimeout(Duration.ofSeconds(2))),
				(req, res) -> res.send(new byte[4 * 1024 * 1024]), null, null);
		Socket greedy = new Socket("127.0.0.1", port);
		greedy.setReceiveBufferSize(4096);
		OutputStream out = greedy.getOutputStream();
		byte[] batch = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
		int batches = 2000; // 56 MB of requests: far more than the kernel's socket
							// buffers hold
		CompletableFuture<Integer> sent = CompletableFuture.supplyAsync(() -> {
			int n = 0;
			try {
				for (; n < batches; n++) {
					out.write(batch);
				}
			}
			catch (IOException ex) {
				// closed by the server: the write timeout of a response nobody reads
			}
			return n;
		});
		// the server answers one request at a time and stops reading while its answer
		// waits, so the
		// client's writes end in a full socket buffer and then a closed connection, never
		// in server memory
		int written = sent.get(60, TimeUnit.SECONDS);
		assertThat(written).isLessThan(batches);
		await().atMost(Duration.ofSeconds(20)).until(() -> lastServer().connectionCount() == 0);
		greedy.close();
		try (RawClient other = new RawClient(port)) {
			assertThat(other.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).hasSize(4 * 1024 * 1024);
		}
	}

	/**
	 * The clients live in a child JVM, so that each side stays within its descriptor
	 * limit.
	 */
	@Test
	void tenThousandIdleConnectionsDoNotStopOthersBeingServed() throws Exception {
		int port = start(ECHO);
		org.junit.jupiter.api.Assumptions.assumeTrue(maxOpenFiles() > 4000, "needs a descriptor limit over 4000");
		int idle = (int) Math.min(10_000, maxOpenFiles() - 500);
		java.nio.file.Path source = java.nio.file.Path
			.of(AttackTests.class.getResource("/io/evhttp/server/IdleClients.java").toURI());
		String java = ProcessHandle.current().info().command().orElse("java");
		Process clients = new ProcessBuilder(java, source.toString(), String.valueOf(port), String.valueOf(idle))
			.redirectErrorStream(true)
			.start();
		try {
			java.io.BufferedReader out = new java.io.BufferedReader(
					new java.io.InputStreamReader(clients.getInputStream(), StandardCharsets.US_ASCII));
			assertThat(out.readLine()).isEqualTo("open " + idle);
			await().atMost(Duration.ofSeconds(30)).until(() -> lastServer().connectionCount() == idle);
			try (RawClient client = new RawClient(port)) {
				assertThat(client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().text())
					.isEqualTo("Hello, World!");
			}
		}
		finally {
			clients.getOutputStream().close();
			assertThat(clients.waitFor(30, TimeUnit.SECONDS)).isTrue();
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> lastServer().connectionCount() == 0);
	}

	/**
	 * Slowloris: a head trickling in a byte at a time still has to arrive within the
	 * timeout.
	 */
	@Test
	void headTricklingInByteByByteGets408WhileBytesStillFlow() throws Exception {
		int port = start(options().timeouts((t) -> t.withTimeout(Duration.ofSeconds(1))), ECHO, null, null);
		try (RawClient client = new RawClient(port)) {
			client.send("GET /hello HTTP/1.1\r\nHost: x\r\n");
			CompletableFuture<Integer> trickle = CompletableFuture.supplyAsync(() -> {
				int sent = 0;
				try {
					for (; sent < 100; sent++) {
						client.send("X-Slow: " + sent + "\r\n");
						Thread.sleep(100); // the attack's pace: load generation, not
											// synchronisation
					}
				}
				catch (IOException | InterruptedException ex) {
					// the server gave up on us
				}
				return sent;
			});
			assertThat(client.read().status()).isEqualTo(408);
			assertThat(trickle.get(20, TimeUnit.SECONDS)).isLessThan(100);
		}
	}

	/** CVE-2023-24998's sibling: one part with an enormous header section. */
	@Test
	void hugePartHeadersGet413() throws Exception {
		int port = start(ECHO);
		byte[] body = ("--" + Multipart.BOUNDARY + "\r\nContent-Disposition: form-data; name=f; filename=x\r\nX-Pad: "
				+ "p".repeat(100_000) + "\r\n\r\ndata\r\n--" + Multipart.BOUNDARY + "--")
			.getBytes(StandardCharsets.US_ASCII);
		try (RawClient client = new RawClient(port)) {
			try {
				client.send(Multipart.request("/u", body, ""));
			}
			catch (IOException ex) {
				// refused while sending
			}
			assertThat(client.read().status()).isEqualTo(413);
		}
		awaitTmpEmpty();
	}

	/** A 70-character repetitive boundary and file data full of near-matches of it. */
	@Test
	void pathologicalBoundaryAndAlmostMatchingDataArriveIntact() throws Exception {
		int port = start(ECHO);
		String boundary = "-".repeat(69) + "b";
		byte[] data = ("\r\n--" + "-".repeat(69) + "a").repeat(30_000).getBytes(StandardCharsets.US_ASCII);
		java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=f; filename=x\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		body.writeBytes(data);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		byte[] request = body.toByteArray();
		try (RawClient client = new RawClient(port)) {
			client.send(("POST /u HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=\"" + boundary
					+ "\"\r\nContent-Length: " + request.length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			client.send(request);
			assertThat(client.read().text())
				.contains("file f x text/plain " + data.length + " " + UploadServerTests.sha256(data));
		}
		awaitTmpEmpty();
	}

	/**
	 * X-Forwarded-For from an untrusted peer is ignored; through a trusted proxy the last
	 * untrusted hop counts.
	 */
	@Test
	void forwardedForIsBelievedOnlyFromTrustedProxies() throws Exception {
		Handler ip = (req, res) -> res.send(req.clientIp());
		int trusted = start(options().proxies((p) -> p.withRealIpHeader("X-Forwarded-For")), ip, null, null);
		int untrusted = start(options().proxies(
				(p) -> p.withRealIpHeader("X-Forwarded-For").withTrustedProxies(java.util.List.of("192.0.2.0/24"))), ip,
				null, null);
		String spoof = "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.1, 203.0.113.7\r\n\r\n";
		try (RawClient client = new RawClient(trusted)) {
			assertThat(client.send(spoof).read().text()).isEqualTo("203.0.113.7");
		}
		try (RawClient client = new RawClient(untrusted)) {
			assertThat(client.send(spoof).read().text()).isEqualTo("127.0.0.1");
		}
	}

	/** The CVE-2023-24998 class over the wire: thousands of tiny parts. */
	@Test
	void partCountFloodGets413AndLeavesNoFile() throws Exception {
		int port = start(ECHO);
		Multipart form = new Multipart();
		for (int i = 0; i < 1500; i++) {
			form.file("f" + i, "x", null, new byte[1]);
		}
		try (RawClient client = new RawClient(port)) {
			try {
				client.send(Multipart.request("/u", form.build(), ""));
			}
			catch (IOException ex) {
				// refused while sending
			}
			assertThat(client.read().status()).isEqualTo(413);
		}
		awaitTmpEmpty();
	}

	private static byte[] readResponseBody(InputStream in) throws IOException {
		int contentLength = -1;
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		while (true) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("closed");
			}
			if (b != '\n') {
				line.write(b);
				continue;
			}
			String text = line.toString(StandardCharsets.ISO_8859_1).trim();
			line.reset();
			if (text.isEmpty()) {
				return in.readNBytes(contentLength);
			}
			if (text.regionMatches(true, 0, "Content-Length:", 0, 15)) {
				contentLength = Integer.parseInt(text.substring(15).trim());
			}
		}
	}

	private static long maxOpenFiles() throws IOException {
		for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
			if (line.startsWith("Max open files")) {
				return Long.parseLong(line.split("\\s+")[3]);
			}
		}
		return 1024;
	}

}
