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
		int port = start(options().timeout(Duration.ofSeconds(2)), (req, res) -> res.send(new byte[4 * 1024 * 1024]),
				null, null);
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

	@Test
	void manyIdleConnectionsDoNotStopOthersBeingServed() throws Exception {
		int port = start(ECHO);
		int idle = Math.min(4000, (int) (maxOpenFiles() / 3));
		List<Socket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < idle; i++) {
				sockets.add(new Socket("127.0.0.1", port));
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> lastServer().connectionCount() == idle);
			try (RawClient client = new RawClient(port)) {
				assertThat(client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().text())
					.isEqualTo("Hello, World!");
			}
		}
		finally {
			for (Socket s : sockets) {
				s.close();
			}
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> lastServer().connectionCount() == 0);
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
