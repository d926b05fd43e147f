package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.http.HttpException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What none of the usual servers offer: disk budget, client digests, body streams,
 * pausing.
 */
class UploadFeatureTests extends ServerFixture {

	private static final byte[] DATA = HttpServerTests.randomBytes(400_000, 21);

	@Test
	void uploadOverTheDiskBudgetGets507BeforeItsBody() throws Exception {
		int port = start(options().uploads((u) -> u.withDiskBudgetBytes(1_000_000)), ECHO, null, null);
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client
				.send("POST /u HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: " + Multipart.contentType()
						+ "\r\nContent-Length: 2000000\r\n\r\n")
				.read();
			assertThat(reply.status()).isEqualTo(507);
		}
		// within the budget, and the budget is given back after each request
		byte[] body = new Multipart().file("f", "x", null, DATA).build();
		for (int i = 0; i < 3; i++) {
			try (RawClient client = new RawClient(port)) {
				assertThat(client.send(Multipart.request("/u", body, "")).read().status()).isEqualTo(200);
			}
		}
		// given back once the response is written, which the client may see first
		await().atMost(Duration.ofSeconds(10)).until(() -> lastServer().reservedBytes() == 0);
		awaitTmpEmpty();
	}

	@Test
	void uploadOverTheFreeSpaceGets507() throws Exception {
		int port = start(ECHO);
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client
				.send("PUT /big HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
						+ "Content-Length: 999999999999999999\r\n\r\n")
				.read();
			assertThat(reply.status()).isEqualTo(507);
		}
		assertThat(lastServer().reservedBytes()).isZero();
	}

	@Test
	void rawBodyMatchingItsContentDigestIsAccepted() throws Exception {
		int port = start(ECHO);
		String digest = "sha-256=:"
				+ Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(DATA))
				+ ":, unknown=:AAAA:";
		try (RawClient client = new RawClient(port)) {
			client
				.send("PUT /raw HTTP/1.1\r\nHost: x\r\nContent-Digest: " + digest + "\r\nContent-Length: " + DATA.length
						+ "\r\n\r\n")
				.send(DATA);
			assertThat(client.read().status()).isEqualTo(200);
		}
		awaitTmpEmpty();
	}

	@Test
	void rawBodyNotMatchingItsReprDigestGets400AndNoFileStays() throws Exception {
		int port = start(ECHO);
		byte[] other = MessageDigest.getInstance("SHA-512").digest(new byte[1]);
		try (RawClient client = new RawClient(port)) {
			client.send("PUT /raw HTTP/1.1\r\nHost: x\r\nRepr-Digest: sha-512=:"
					+ Base64.getEncoder().encodeToString(other) + ":\r\nContent-Length: " + DATA.length + "\r\n\r\n")
				.send(DATA);
			assertThat(client.read().status()).isEqualTo(400);
		}
		awaitTmpEmpty();
	}

	@Test
	void partNotMatchingItsContentMd5Gets400() throws Exception {
		int port = start(ECHO);
		String wrongMd5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(new byte[1]));
		String rightMd5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(DATA));
		for (String md5 : new String[] { rightMd5, wrongMd5 }) {
			String part = "--" + Multipart.BOUNDARY + "\r\nContent-Disposition: form-data; name=f; filename=a\r\n"
					+ "Content-MD5: " + md5 + "\r\n\r\n";
			byte[] body = concat(part.getBytes(StandardCharsets.US_ASCII), DATA,
					("\r\n--" + Multipart.BOUNDARY + "--").getBytes(StandardCharsets.US_ASCII));
			try (RawClient client = new RawClient(port)) {
				assertThat(client.send(Multipart.request("/u", body, "")).read().status())
					.isEqualTo(md5.equals(rightMd5) ? 200 : 400);
			}
		}
		awaitTmpEmpty();
	}

	@Test
	void bodyTakenAsAStreamNeverTouchesTheDisk() throws Exception {
		AtomicLong seen = new AtomicLong();
		UploadListener streaming = new UploadListener() {
			@Override
			public void onHead(Request request) {
				request.consumeBody((data) -> seen.addAndGet(data.remaining()));
			}

			@Override
			public void onFileOpen(Request request, UploadedFile file) {
				throw new AssertionError("no file expected");
			}
		};
		int port = start(options(), (req, res) -> res.send("got " + seen.get() + " files " + req.files().size()),
				streaming, null);
		byte[] body = new Multipart().file("f", "x", null, DATA).build();
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send(Multipart.request("/u", body, "")).read().text())
				.isEqualTo("got " + body.length + " files 0");
		}
		assertThat(tmpFiles()).isEmpty();
	}

	@Test
	void readingPausesAndResumesOnRequest() throws Exception {
		CountDownLatch paused = new CountDownLatch(1);
		AtomicReference<Request> pending = new AtomicReference<>();
		AtomicLong sizeWhenPaused = new AtomicLong();
		UploadListener pausing = new UploadListener() {
			@Override
			public void onFileOpen(Request request, UploadedFile file) {
				request.pauseBody();
				pending.set(request);
				paused.countDown();
			}

			@Override
			public void onFileWrite(Request request, UploadedFile file, ByteBuffer chunk) {
				if (pending.get() != null && sizeWhenPaused.get() == 0) {
					sizeWhenPaused.set(file.size());
				}
			}
		};
		int port = start(options(), ECHO, pausing, null);
		byte[] body = new Multipart().file("f", "x", null, HttpServerTests.randomBytes(3_000_000, 5)).build();
		try (RawClient client = new RawClient(port)) {
			client.send(Multipart.request("/u", body, ""));
			assertThat(paused.await(10, TimeUnit.SECONDS)).isTrue();
			// while paused, the server stops reading: the client's writes fill the socket
			// buffers
			client.socket().setSoTimeout(300);
			assertThat(CompletableFuture.supplyAsync(() -> {
				try {
					return client.read().status();
				}
				catch (IOException ex) {
					return -1;
				}
			}).get(10, TimeUnit.SECONDS)).isEqualTo(-1);
			client.socket().setSoTimeout(10_000);
			pending.get().resumeBody();
			assertThat(client.read().text()).contains(" 3000000 ");
		}
		awaitTmpEmpty();
	}

	@Test
	void bodyPausedAndNeverResumedGets408AfterTheTimeout() throws Exception {
		CountDownLatch paused = new CountDownLatch(1);
		AtomicReference<HttpException> error = new AtomicReference<>();
		UploadListener forgetful = new UploadListener() {
			@Override
			public void onFileOpen(Request request, UploadedFile file) {
				request.pauseBody();
				paused.countDown();
			}

			@Override
			public void onError(Request request, HttpException reason) {
				error.set(reason);
			}
		};
		int port = start(options().timeouts((t) -> t.withTimeout(Duration.ofSeconds(1))), ECHO, forgetful, null);
		byte[] body = new Multipart().file("f", "x", null, HttpServerTests.randomBytes(3_000_000, 6)).build();
		try (RawClient client = new RawClient(port)) {
			CompletableFuture.runAsync(() -> {
				try {
					client.send(Multipart.request("/u", body, ""));
				}
				catch (IOException ex) {
					// the server closed the connection while we were still sending
				}
			});
			assertThat(paused.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(client.read().status()).isEqualTo(408);
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(error.get()).isNotNull());
		assertThat(error.get().status()).isEqualTo(408);
		awaitTmpEmpty();
		try (RawClient other = new RawClient(port)) {
			assertThat(other.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
		}
	}

	@Test
	void admissionHookSeesTheDeclaredLengthAndClientIp() throws Exception {
		UploadListener quota = new UploadListener() {
			@Override
			public void onHead(Request request) {
				if (request.contentLength() > 100_000 && request.clientIp().equals("127.0.0.1")) {
					throw new HttpException(413, "quota of 127.0.0.1 exceeded");
				}
			}
		};
		int port = start(options(), ECHO, quota, null);
		try (RawClient client = new RawClient(port)) {
			assertThat(
					client.send("POST /u HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 100001\r\n\r\n")
						.read()
						.status())
				.isEqualTo(413);
		}
	}

	@Test
	void bodyPausedFromOnHeadIsNotReadUntilResumedAndAnInterimResponseGoesFirst() throws Exception {
		AtomicReference<Request> pending = new AtomicReference<>();
		AtomicLong seen = new AtomicLong();
		UploadListener preparing = new UploadListener() {
			@Override
			public void onHead(Request request) {
				request.consumeBody((data) -> seen.addAndGet(data.remaining()));
				request.pauseBody();
				pending.set(request);
			}
		};
		int port = start(options(), (req, res) -> res.send("got " + seen.get()), preparing, null);
		try (RawClient client = new RawClient(port)) {
			client.send("PATCH /u HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
			await().atMost(Duration.ofSeconds(10)).until(() -> pending.get() != null);
			pending.get().sendInterim(104, "Location", "/u/1");
			RawClient.Reply interim = client.read();
			assertThat(interim.status()).isEqualTo(104);
			assertThat(interim.header("Location")).isEqualTo("/u/1");
			assertThat(seen.get()).isZero();
			pending.get().resumeBody();
			assertThat(client.read().text()).isEqualTo("got 5");
		}
	}

	@Test
	void refusalCarriesTheExceptionsOwnBody() throws Exception {
		UploadListener refusing = new UploadListener() {
			@Override
			public void onHead(Request request) {
				throw new HttpException(409, "offset mismatch").withBody("application/problem+json",
						"{\"title\":\"x\"}".getBytes(StandardCharsets.UTF_8));
			}
		};
		int port = start(options(), ECHO, refusing, null);
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client.send("PATCH /u HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n").read();
			assertThat(reply.status()).isEqualTo(409);
			assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
			assertThat(reply.text()).isEqualTo("{\"title\":\"x\"}");
		}
	}

	private static byte[] concat(byte[]... parts) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		for (byte[] p : parts) {
			out.writeBytes(p);
		}
		return out.toByteArray();
	}

}
