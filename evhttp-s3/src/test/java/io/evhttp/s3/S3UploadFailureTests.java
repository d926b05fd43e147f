package io.evhttp.s3;

import static io.evhttp.s3.S3Objects.MIB;
import static io.evhttp.s3.S3Objects.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.s3.RawClient.Answer;
import io.evhttp.s3.RawClient.Part;
import io.evhttp.s3.test.S3ProxyExtension;
import io.evhttp.s3.test.S3ProxyServer;
import io.evhttp.server.Request;
import io.evhttp.server.UploadListener;
import io.evhttp.server.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every way an upload into S3 can fail — the client vanishing in the first part or after
 * parts were uploaded, a limit, a digest mismatch, the application dropping the request,
 * S3 stopped or answering 503 — leaves no object and no multipart upload under the
 * prefix, and nothing in the spool directory.
 */
@ExtendWith(S3ProxyExtension.class)
class S3UploadFailureTests {

	private static final String BUCKET = "failures";

	private final S3ProxyServer s3proxy;

	private StoreServer server;

	S3UploadFailureTests(S3ProxyServer s3proxy) {
		this.s3proxy = s3proxy;
	}

	@BeforeAll
	static void bucket(S3ProxyServer s3proxy) {
		s3proxy.createBucket(BUCKET);
	}

	@AfterEach
	void nothingLeft() {
		if (!this.s3proxy.isRunning()) {
			this.s3proxy.start();
		}
		try {
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				this.server.store.sweep();
				assertThat(this.server.leftovers()).isEmpty();
				assertThat(this.server.spooled()).isEmpty();
			});
		}
		finally {
			this.server.close();
		}
	}

	private void start(UnaryOperator<io.evhttp.server.ServerOptions.Builder> options, UploadListener uploads)
			throws IOException {
		this.server = new StoreServer(this.s3proxy, BUCKET, "f/", (s) -> s.partSize(5 * MIB).maxPartsInFlight(2),
				options, uploads);
	}

	@Test
	void clientVanishingInTheFirstPartLeavesNothing() throws IOException {
		start((o) -> o, UploadListener.NONE);
		byte[] body = randomBytes(20 * MIB, 1);
		try (Socket socket = begin(body.length)) {
			socket.getOutputStream().write(body, 0, 2 * MIB);
			await().until(() -> !this.server.spooled().isEmpty());
			socket.setSoLinger(true, 0);
		}
	}

	@Test
	void clientVanishingAfterPartsWereUploadedLeavesNoMultipartUpload() throws IOException {
		start((o) -> o, UploadListener.NONE);
		byte[] body = randomBytes(30 * MIB, 2);
		try (Socket socket = begin(body.length)) {
			socket.getOutputStream().write(body, 0, 13 * MIB);
			awaitMultipartUpload();
			socket.setSoLinger(true, 0);
		}
	}

	@Test
	void fileOverItsLimitIs413AndLeavesNothing() throws IOException {
		start((o) -> o.limits((l) -> l.withMaxFileBytes(7 * MIB)), UploadListener.NONE);
		Answer answer = RawClient.postMultipart(this.server.port(), "/up",
				RawClient.multipart(new Part("f", "big", randomBytes(20 * MIB, 3))));
		assertThat(answer.status()).isEqualTo(413);
	}

	@Test
	void digestMismatchIs400AndLeavesNothing() throws IOException {
		start((o) -> o, UploadListener.NONE);
		String wrong = Base64.getEncoder().encodeToString(new byte[32]);
		Answer answer = RawClient.put(this.server.port(), "/raw", "Content-Digest: sha-256=:" + wrong + ":\r\n",
				randomBytes(12 * MIB, 4));
		assertThat(answer.status()).isEqualTo(400); // the right digest: see
													// S3UploadStoreTests
	}

	@Test
	void requestDroppedByTheApplicationLeavesNothing() throws IOException {
		start((o) -> o, new UploadListener() {
			@Override
			public void onFileWrite(Request request, UploadedFile file, ByteBuffer chunk) {
				if (file.size() > 11 * MIB) {
					request.drop();
				}
			}
		});
		byte[] body = randomBytes(30 * MIB, 5);
		try (Socket socket = begin(body.length)) {
			try {
				socket.getOutputStream().write(body);
			}
			catch (IOException ex) {
				// dropped while sending
			}
			assertThat(readAll(socket.getInputStream())).isEmpty();
		}
	}

	@Test
	void s3StoppedMidUploadIs503AndWhatWasWrittenGoesOnceS3IsBack() throws IOException {
		start((o) -> o, UploadListener.NONE);
		byte[] body = randomBytes(40 * MIB, 6);
		try (Socket socket = begin(body.length)) {
			OutputStream out = socket.getOutputStream();
			out.write(body, 0, 13 * MIB);
			awaitMultipartUpload();
			this.s3proxy.stop();
			String answer = sendRestAndRead(socket, body, 13 * MIB);
			assertThat(answer).startsWith("HTTP/1.1 503 ").contains("Retry-After: 7");
		}
		this.s3proxy.start(); // nothingLeft() sweeps: the abort S3 could not take is
								// retried
	}

	@Test
	void s3Answering503MidUploadIs503AndLeavesNothing() throws IOException {
		try (FaultyS3Front front = new FaultyS3Front(this.s3proxy.port())) {
			this.server = new StoreServer(this.s3proxy, front.endpoint(), BUCKET, "f/",
					(s) -> s.partSize(5 * MIB).maxPartsInFlight(2), (o) -> o, UploadListener.NONE);
			byte[] body = randomBytes(40 * MIB, 7);
			try (Socket socket = begin(body.length)) {
				socket.getOutputStream().write(body, 0, 13 * MIB);
				awaitMultipartUpload();
				front.answer503();
				String answer = sendRestAndRead(socket, body, 13 * MIB);
				assertThat(answer).startsWith("HTTP/1.1 503 ").contains("Retry-After: 7");
				assertThat(front.refused()).isPositive();
			}
			front.passThrough();
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				this.server.store.sweep();
				assertThat(this.server.leftovers()).isEmpty();
			});
		}
	}

	private Socket begin(int length) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.server.port());
		socket.setSoTimeout(60_000);
		socket.getOutputStream()
			.write(("PUT /raw HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\nContent-Length: "
					+ length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		return socket;
	}

	private void awaitMultipartUpload() {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.server.leftovers().stream().anyMatch((l) -> l.startsWith("upload ")));
	}

	/** Sends the rest of the body, as much as the server takes, then reads its answer. */
	private static String sendRestAndRead(Socket socket, byte[] body, int from) throws IOException {
		try {
			socket.getOutputStream().write(body, from, body.length - from);
		}
		catch (IOException ex) {
			// answered and closed before the end of the body
		}
		return readAll(socket.getInputStream());
	}

	private static String readAll(InputStream in) {
		try {
			return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			return ""; // reset by the server
		}
	}

}
