package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.http.HttpException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that vanish at every stage, half-closed sockets, a tmp-path removed or full.
 * After each: the server still answers, tmp-path is empty, and no file descriptor is left
 * open.
 */
class FaultTests extends ServerFixture {

	private static final byte[] FILE = HttpServerTests.randomBytes(1_500_000, 31);

	private static final byte[] REQUEST = Multipart.request("/u",
			new Multipart().field("a", "1")
				.file("f", "x.bin", null, FILE)
				.field("b", "2")
				.file("g", "y.bin", null, FILE)
				.build(),
			"");

	@ParameterizedTest(name = "disconnect after {0} bytes")
	@ValueSource(strings = { "request line", "headers", "part headers", "mid-file", "between parts", "response" })
	void clientVanishingAtAnyStageLeavesNothingBehind(String stage) throws Exception {
		List<String> errors = new CopyOnWriteArrayList<>();
		UploadListener listener = new UploadListener() {
			@Override
			public void onError(Request request, HttpException reason) {
				errors.add(reason.reason());
			}
		};
		Handler bigAnswer = (req, res) -> res.send(new byte[8_000_000]);
		int port = start(options(), bigAnswer, listener, null);
		long fdsBefore = openFds();
		String text = new String(REQUEST, StandardCharsets.ISO_8859_1);
		int cut = switch (stage) {
			case "request line" -> 10;
			case "headers" -> text.indexOf("Content-Length");
			case "part headers" -> text.indexOf("name=\"a\"");
			case "mid-file" -> text.indexOf("filename=\"x.bin\"") + 700_000;
			case "between parts" -> text.indexOf("name=\"b\"") - 10;
			default -> REQUEST.length;
		};
		RawClient client = new RawClient(port);
		client.send(Arrays.copyOf(REQUEST, cut));
		if (stage.equals("response")) {
			client.socket().getInputStream().readNBytes(1000);
		}
		else if (!stage.equals("request line") && !stage.equals("headers")) {
			await().atMost(Duration.ofSeconds(10)).until(() -> lastServer().stats().activeUploads() == 1);
		}
		client.socket().setSoLinger(true, 0);
		client.close();
		if (!stage.equals("request line") && !stage.equals("headers") && !stage.equals("response")) {
			await().atMost(Duration.ofSeconds(10)).until(() -> errors.size() == 1);
			assertThat(errors.get(0)).startsWith("client disconnected");
		}
		awaitTmpEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> lastServer().connectionCount() == 0);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(openFds()).isLessThanOrEqualTo(fdsBefore));
		try (RawClient next = new RawClient(port)) {
			assertThat(next.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).hasSize(8_000_000);
		}
		assertThat(errors).hasSizeLessThanOrEqualTo(1);
	}

	@Test
	void halfClosedClientStillGetsItsAnswer() throws Exception {
		int port = start(ECHO);
		try (RawClient client = new RawClient(port)) {
			client.send(REQUEST);
			client.socket().shutdownOutput();
			RawClient.Reply reply = client.read();
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.text()).contains("file f x.bin", "file g y.bin");
			assertThat(client.isClosedByServer()).isTrue();
		}
		awaitTmpEmpty();
	}

	@Test
	void tmpPathRemovedWhileRunningIsCreatedAgain() throws Exception {
		Path tmpPath = this.tmp.resolve("uploads");
		int port = start(options().uploads((u) -> u.withTmpPath(tmpPath)), ECHO, null, null);
		Files.delete(tmpPath);
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send(REQUEST).read().text()).contains("file f x.bin text/plain 1500000", "file g y.bin");
		}
		assertThat(tmpPath).isDirectory();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> { // deleted once the
																		// answer is
																		// written
			try (Stream<Path> files = Files.list(tmpPath)) {
				assertThat(files).isEmpty();
			}
		});
	}

	/**
	 * Needs a small file system: {@code .ci/run} mounts a 4 MiB tmpfs and names it in
	 * {@code EVHTTP_SMALL_FS}.
	 */
	@Test
	void fullDiskGets507AndTheErrorCallbackAndLeavesNoPartialFile() throws Exception {
		String small = System.getenv("EVHTTP_SMALL_FS");
		Assumptions.assumeTrue(small != null && Files.isDirectory(Path.of(small)),
				"set EVHTTP_SMALL_FS to a small mounted file system (see .ci/run)");
		Path tmpPath = Path.of(small, "evhttp-" + ProcessHandle.current().pid());
		List<Integer> errors = new CopyOnWriteArrayList<>();
		UploadListener listener = new UploadListener() {
			@Override
			public void onError(Request request, HttpException reason) {
				errors.add(reason.status());
			}

			@Override
			public void onFileOpen(Request request, UploadedFile file) {
			}
		};
		int port = start(options().uploads((u) -> u.withTmpPath(tmpPath)), ECHO, listener, null);
		byte[] body = new Multipart().file("f", "big", null, HttpServerTests.randomBytes(3_000_000, 1))
			.file("g", "big2", null, HttpServerTests.randomBytes(3_000_000, 2))
			.build();
		try (RawClient client = new RawClient(port)) {
			client.send(("POST /u HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: "
					+ Multipart.contentType() + "\r\n\r\n" + Integer.toHexString(body.length) + "\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			try {
				client.send(body);
				client.send("\r\n0\r\n\r\n");
			}
			catch (IOException ex) {
				// refused while sending
			}
			assertThat(client.read().status()).isEqualTo(507);
		}
		assertThat(errors).containsExactly(507);
		// in executor mode the files are removed on the disk executor, just after the
		// answer
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			try (Stream<Path> files = Files.list(tmpPath)) {
				assertThat(files).isEmpty();
			}
		});
		try (RawClient client = new RawClient(port)) {
			assertThat(client
				.send(Multipart.request("/u", new Multipart().file("f", "s", null, new byte[1000]).build(), ""))
				.read()
				.status()).isEqualTo(200);
		}
	}

	private static long openFds() throws IOException {
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.count();
		}
	}

}
