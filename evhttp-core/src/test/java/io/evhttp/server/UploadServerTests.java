package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.http.HttpException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Uploads over real sockets: files on disk, digests, callbacks, limits, failures,
 * cleanup.
 */
class UploadServerTests extends ServerFixture {

	private static final byte[] SMALL = HttpServerTests.randomBytes(300_000, 1);

	private static final byte[] LARGE = HttpServerTests.randomBytes(2_500_000, 2);

	@Test
	void multipartFilesAndFieldsArriveWholeAndAreDeletedAfterTheResponse() throws Exception {
		int port = start(ECHO);
		byte[] body = new Multipart().field("title", "caf\u00e9")
			.file("a", "a.bin", "application/octet-stream", SMALL)
			.field("title", "second")
			.file("b", "dir\\b.txt", null, LARGE)
			.build();
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client.send(Multipart.request("/upload?x=1", body, "")).read();
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.text()).isEqualTo("POST /upload\nquery x=[1]\nfield title=[caf\u00e9, second]\n"
					+ "file a a.bin application/octet-stream 300000 " + sha256(SMALL) + "\n"
					+ "file b dir\\b.txt text/plain 2500000 " + sha256(LARGE) + "\n");
		}
		awaitTmpEmpty();
	}

	@Test
	void chunkedMultipartUploadArrivesWhole() throws Exception {
		int port = start(ECHO);
		byte[] body = new Multipart().file("f", "big.bin", "application/octet-stream", LARGE).build();
		ByteArrayOutputStream req = new ByteArrayOutputStream();
		req.writeBytes(("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: "
				+ Multipart.contentType() + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		for (int pos = 0; pos < body.length; pos += 70_001) {
			int n = Math.min(70_001, body.length - pos);
			req.writeBytes((Integer.toHexString(n) + ";ext=1\r\n").getBytes(StandardCharsets.US_ASCII));
			req.write(body, pos, n);
			req.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		req.writeBytes("0\r\nX-Trailer: yes\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send(req.toByteArray()).read().text())
				.isEqualTo("POST /up\nfile f big.bin application/octet-stream 2500000 " + sha256(LARGE) + "\n");
			assertThat(client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
		}
		awaitTmpEmpty();
	}

	@Test
	void rawBodyIsStreamedToOneFile() throws Exception {
		int port = start(ECHO);
		try (RawClient client = new RawClient(port)) {
			client
				.send("PUT /raw HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: "
						+ LARGE.length + "\r\n\r\n")
				.send(LARGE);
			assertThat(client.read().text())
				.isEqualTo("PUT /raw\nbody application/octet-stream 2500000 " + sha256(LARGE) + "\n");
		}
		awaitTmpEmpty();
	}

	@Test
	void expectContinueGets100BeforeTheBodyIsSent() throws Exception {
		int port = start(ECHO);
		byte[] body = new Multipart().file("f", "x.bin", null, SMALL).build();
		try (RawClient client = new RawClient(port)) {
			client.send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: "
					+ Multipart.contentType() + "\r\nContent-Length: " + body.length + "\r\n\r\n");
			assertThat(client.read().status()).isEqualTo(100);
			assertThat(client.send(body).read().text())
				.isEqualTo("POST /e\nfile f x.bin text/plain 300000 " + sha256(SMALL) + "\n");
		}
	}

	@Test
	void declaredLengthOverLimitGets413BeforeAnyBodyByte() throws Exception {
		int port = start(options().limits((l) -> l.withMaxRequestBytes(1000)), ECHO, null, null);
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client
				.send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: " + Multipart.contentType()
						+ "\r\nContent-Length: 5000000\r\n\r\n")
				.read();
			assertThat(reply.status()).isEqualTo(413);
			assertThat(client.isClosedByServer()).isTrue();
		}
		assertThat(tmpFiles()).isEmpty();
	}

	@Test
	void admissionHookRefusesBeforeTheBody() throws Exception {
		UploadListener admission = new UploadListener() {
			@Override
			public void onHead(Request request) {
				if (request.header("Authorization") == null) {
					throw new HttpException(401, "no credentials");
				}
			}
		};
		int port = start(options(), ECHO, admission, null);
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client
				.send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n")
				.read();
			assertThat(reply.status()).isEqualTo(401);
		}
	}

	@Test
	void fileOverLimitGets413AndLeavesNoFile() throws Exception {
		int port = start(options().limits((l) -> l.withMaxFileBytes(100_000)), ECHO, null, null);
		byte[] body = new Multipart().file("f", "x.bin", null, SMALL).build();
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send(Multipart.request("/u", body, "")).read().status()).isEqualTo(413);
			assertThat(client.isClosedByServer()).isTrue();
		}
		awaitTmpEmpty();
	}

	@Test
	void fieldValueOverLimitGets413() throws Exception {
		int port = start(ECHO);
		byte[] body = new Multipart().field("big", "v".repeat(60_000)).build();
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send(Multipart.request("/u", body, "")).read().status()).isEqualTo(413);
		}
	}

	@Test
	void malformedMultipartGets400AndLeavesNoFile() throws Exception {
		int port = start(ECHO);
		byte[] body = ("--" + Multipart.BOUNDARY + "\r\nContent-Disposition: form-data; name=f; filename=a\r\n\r\n"
				+ "data without a close delimiter")
			.getBytes(StandardCharsets.US_ASCII);
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send(Multipart.request("/u", body, "")).read().status()).isEqualTo(400);
		}
		awaitTmpEmpty();
	}

	@Test
	void callbacksFireOnceEachInOrder() throws Exception {
		List<String> events = new CopyOnWriteArrayList<>();
		UploadListener recorder = new UploadListener() {
			@Override
			public void onHead(Request r) {
				events.add("head " + r.path());
			}

			@Override
			public void onMultipart(Request r) {
				events.add("multipart");
			}

			@Override
			public void onFileOpen(Request r, UploadedFile f) {
				events.add("open " + f.field() + (writesOnTheLoop() ? " " + f.size() : " 0"));
			}

			@Override
			public void onFileWrite(Request r, UploadedFile f, ByteBuffer chunk) {
				assertThat(chunk.isReadOnly()).isTrue();
				String last = events.get(events.size() - 1);
				if (!last.startsWith("write " + f.field())) {
					events.add("write " + f.field());
				}
			}

			@Override
			public void onFileReceived(Request r, UploadedFile f) {
				events.add("received " + f.field() + " " + f.size());
			}

			@Override
			public void onError(Request r, HttpException reason) {
				events.add("error " + reason.status());
			}
		};
		int port = start(options(), (req, res) -> {
			events.add("handle");
			res.send("ok");
		}, recorder, null);
		byte[] body = new Multipart().file("a", "a", null, SMALL).field("x", "y").file("b", "b", null, LARGE).build();
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send(Multipart.request("/cb", body, "")).read().text()).isEqualTo("ok");
		}
		assertThat(events).containsExactly("head /cb", "multipart", "open a 0", "write a", "received a 300000",
				"open b 0", "write b", "received b 2500000", "handle");
	}

	@Test
	void listenerNotWantingChunksGetsTheOtherCallbacksOnly() throws Exception {
		List<String> events = new CopyOnWriteArrayList<>();
		UploadListener recorder = new UploadListener() {
			@Override
			public boolean wantsFileWrites(Request r) {
				return !r.path().equals("/quiet");
			}

			@Override
			public void onFileOpen(Request r, UploadedFile f) {
				events.add("open " + r.path());
			}

			@Override
			public void onFileWrite(Request r, UploadedFile f, ByteBuffer chunk) {
				if (!events.get(events.size() - 1).startsWith("write")) {
					events.add("write " + r.path());
				}
			}

			@Override
			public void onFileReceived(Request r, UploadedFile f) {
				events.add("received " + r.path() + " " + f.size());
			}
		};
		int port = start(options(), ECHO, recorder, null);
		byte[] body = new Multipart().file("a", "a", null, LARGE).build();
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send(Multipart.request("/quiet", body, "")).read().status()).isEqualTo(200);
			assertThat(client.send(Multipart.request("/loud", body, "")).read().status()).isEqualTo(200);
		}
		assertThat(events).containsExactly("open /quiet", "received /quiet 2500000", "open /loud", "write /loud",
				"received /loud 2500000");
		awaitTmpEmpty();
	}

	@Test
	void clientDisconnectingMidFileGetsTheErrorCallbackAndLeavesNoFile() throws Exception {
		CountDownLatch opened = new CountDownLatch(1);
		List<String> errors = new CopyOnWriteArrayList<>();
		UploadListener listener = new UploadListener() {
			@Override
			public void onFileOpen(Request r, UploadedFile f) {
				opened.countDown();
			}

			@Override
			public void onError(Request r, HttpException reason) {
				errors.add(reason.reason());
			}
		};
		int port = start(options(), ECHO, listener, null);
		byte[] body = new Multipart().file("f", "x.bin", null, LARGE).build();
		byte[] request = Multipart.request("/u", body, "");
		RawClient client = new RawClient(port);
		client.send(java.util.Arrays.copyOf(request, request.length / 2));
		assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(tmpFiles()).hasSize(1);
		client.socket().setSoLinger(true, 0);
		client.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> errors.size() == 1);
		assertThat(errors.get(0)).startsWith("client disconnected");
		awaitTmpEmpty();
	}

	@Test
	void dropInACallbackClosesTheConnectionAndDeletesTheFile() throws Exception {
		List<String> events = new CopyOnWriteArrayList<>();
		UploadListener dropper = new UploadListener() {
			@Override
			public void onFileOpen(Request r, UploadedFile f) {
				events.add("open");
				r.drop();
			}

			@Override
			public void onError(Request r, HttpException reason) {
				events.add("error " + reason.reason());
			}
		};
		int port = start(options(), ECHO, dropper, null);
		byte[] body = new Multipart().file("f", "x.bin", null, SMALL).build();
		try (RawClient client = new RawClient(port)) {
			try {
				client.send(Multipart.request("/u", body, ""));
			}
			catch (IOException ex) {
				// dropped while the body was still being sent
			}
			assertThat(client.isClosedByServer()).isTrue();
		}
		assertThat(events).containsExactly("open", "error dropped by the application");
		awaitTmpEmpty();
	}

	@Test
	void handlerOnAnExecutorRunsOffTheEventLoopAndMayBlock() throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			int port = start(options(), (req, res) -> {
				Thread.sleep(1); // blocking is allowed here
				res.send(Thread.currentThread().getName() + " " + req.files().size());
			}, null, executor);
			byte[] body = new Multipart().file("f", "x.bin", null, SMALL).build();
			try (RawClient client = new RawClient(port)) {
				String text = client.send(Multipart.request("/u", body, "")).read().text();
				assertThat(text).doesNotStartWith("evhttp-loop").endsWith(" 1");
				assertThat(client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
			}
			awaitTmpEmpty();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void movedFileSurvivesTheRequest() throws Exception {
		java.nio.file.Path store = java.nio.file.Files
			.createDirectories(this.tmp.resolveSibling(this.tmp.getFileName() + "-store"));
		int port = start((req, res) -> {
			UploadedFile f = req.file("f");
			f.moveTo(store.resolve(f.safeFilename()));
			res.send("moved");
		});
		byte[] body = new Multipart().file("f", "../../etc/evil.txt", null, SMALL).build();
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send(Multipart.request("/u", body, "")).read().text()).isEqualTo("moved");
		}
		awaitTmpEmpty();
		assertThat(java.nio.file.Files.readAllBytes(store.resolve("evil.txt"))).isEqualTo(SMALL);
	}

	@Test
	void aBadRequestDoesNotDisturbAnUploadInProgress() throws Exception {
		int port = start(ECHO);
		byte[] body = new Multipart().file("f", "x.bin", null, LARGE).build();
		byte[] request = Multipart.request("/u", body, "");
		try (RawClient uploader = new RawClient(port); RawClient attacker = new RawClient(port)) {
			uploader.send(java.util.Arrays.copyOf(request, 1000));
			assertThat(attacker.send("GARBAGE\r\n\r\n").read().status()).isEqualTo(400);
			uploader.send(java.util.Arrays.copyOfRange(request, 1000, request.length));
			assertThat(uploader.read().text()).contains("2500000 " + sha256(LARGE));
		}
	}

	/**
	 * Whether files are written on the event loop, so a callback sees the size as of its
	 * event; with a disk executor the size may already count later writes.
	 */
	boolean writesOnTheLoop() {
		return true;
	}

	static String sha256(byte[] data) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
	}

}
