package io.evhttp.s3;

import static io.evhttp.s3.S3Objects.MIB;
import static io.evhttp.s3.S3Objects.randomBytes;
import static io.evhttp.s3.S3Objects.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.resumable.ResumableEvents;
import io.evhttp.s3.test.S3ProxyExtension;
import io.evhttp.s3.test.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 unavailable while a tus {@code PATCH} streams into it, over real sockets: the
 * request is answered 503 with {@code Retry-After}, the offset a client was told before
 * stays, and once S3 is back the upload resumes from there and completes whole.
 */
@ExtendWith(S3ProxyExtension.class)
class S3ResumableFaultTests {

	private static final String BUCKET = "resumable-faults";

	private static final int LENGTH = 20 * MIB;

	private final S3ProxyServer s3proxy;

	private final S3Client direct;

	private final String prefix = "f" + System.nanoTime() + "/";

	private final byte[] bytes = randomBytes(LENGTH, 11);

	private ResumableNode node;

	S3ResumableFaultTests(S3ProxyServer s3proxy, S3Client direct) {
		this.s3proxy = s3proxy;
		this.direct = direct;
	}

	@BeforeAll
	static void bucket(S3ProxyServer s3proxy) {
		s3proxy.createBucket(BUCKET);
	}

	@AfterEach
	void stop() {
		if (this.node != null) {
			this.node.close();
		}
	}

	@Test
	void s3Answering503MidPatchIs503AndTheUploadResumesFromItsOffset() throws IOException {
		try (FaultyS3Front front = new FaultyS3Front(this.s3proxy.port())) {
			this.node = new ResumableNode(front.endpoint(), BUCKET, this.prefix, (b) -> b, ResumableEvents.NONE);
			String id = createWithFirst6Mib();
			try (Socket socket = beginPatch(id, 6 * MIB, LENGTH - 6 * MIB)) {
				socket.getOutputStream().write(this.bytes, 6 * MIB, 7 * MIB);
				front.answer503();
				String answer = sendRestAndRead(socket, 13 * MIB);
				assertThat(answer).startsWith("HTTP/1.1 503 ").containsIgnoringCase("Retry-After: 30");
			}
			assertThat(front.refused()).isPositive();
			front.passThrough();
			resumeAndCheck(id);
		}
	}

	@Test
	void s3StoppedMidPatchIs503AndTheUploadResumesFromItsOffsetOnceItIsBack() throws IOException {
		this.node = new ResumableNode(this.s3proxy, BUCKET, this.prefix, (b) -> b, ResumableEvents.NONE);
		String id = createWithFirst6Mib();
		try (Socket socket = beginPatch(id, 6 * MIB, LENGTH - 6 * MIB)) {
			socket.getOutputStream().write(this.bytes, 6 * MIB, 7 * MIB);
			this.s3proxy.stop();
			try {
				String answer = sendRestAndRead(socket, 13 * MIB);
				assertThat(answer).startsWith("HTTP/1.1 503 ").containsIgnoringCase("Retry-After: 30");
			}
			finally {
				this.s3proxy.start();
			}
		}
		resumeAndCheck(id);
	}

	@Test
	void patchWhileS3Answers503IsRefusedWith503BeforeAnyByteIsTaken() throws IOException {
		try (FaultyS3Front front = new FaultyS3Front(this.s3proxy.port())) {
			this.node = new ResumableNode(front.endpoint(), BUCKET, this.prefix, (b) -> b, ResumableEvents.NONE);
			String id = createWithFirst6Mib();
			front.answer503();
			try (Socket socket = beginPatch(id, 6 * MIB, LENGTH - 6 * MIB)) {
				String answer = sendRestAndRead(socket, 6 * MIB);
				assertThat(answer).startsWith("HTTP/1.1 503 ")
					.containsIgnoringCase("Retry-After: 30")
					.containsIgnoringCase("Tus-Resumable: 1.0.0");
			}
			front.passThrough();
			resumeAndCheck(id);
		}
	}

	/** Creates the upload with its first 6 MiB: one part recorded and a tail. */
	private String createWithFirst6Mib() throws IOException {
		String created = exchange(
				"POST /resumable/ HTTP/1.1\r\nTus-Resumable: 1.0.0\r\nUpload-Length: " + LENGTH
						+ "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: " + 6 * MIB,
				0, 6 * MIB);
		assertThat(created).startsWith("HTTP/1.1 201 ");
		return idOf(header(created, "Location"));
	}

	/** The offset is the one acknowledged before; the rest from there completes it. */
	private void resumeAndCheck(String id) throws IOException {
		assertThat(
				header(exchange("HEAD /resumable/" + id + " HTTP/1.1\r\nTus-Resumable: 1.0.0", 0, 0), "Upload-Offset"))
			.isEqualTo(Integer.toString(6 * MIB));
		// the failed request's lease may be left to run out: S3 could not take its
		// release
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			String done = exchange("PATCH /resumable/" + id + " HTTP/1.1\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: "
					+ 6 * MIB + "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: "
					+ (LENGTH - 6 * MIB), 6 * MIB, LENGTH);
			assertThat(done).startsWith("HTTP/1.1 204 ");
		});
		try (InputStream in = this.node.store.open(id)) {
			assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(this.bytes));
		}
		assertThat(ResumableNode.leftovers(this.direct, BUCKET, this.prefix)).containsExactly("object " + id);
	}

	private Socket beginPatch(String id, long offset, int length) throws IOException {
		Socket socket = new Socket("127.0.0.1", this.node.port());
		socket.setSoTimeout(120_000);
		socket.getOutputStream()
			.write(("PATCH /resumable/" + id
					+ " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: " + offset
					+ "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: " + length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		return socket;
	}

	/**
	 * Sends the upload's bytes from {@code from}, as many as the server takes, then
	 * reads.
	 */
	private String sendRestAndRead(Socket socket, int from) {
		try {
			socket.getOutputStream().write(this.bytes, from, LENGTH - from);
		}
		catch (IOException ex) {
			// answered and closed before the end of the body
		}
		try {
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			return ""; // reset by the server
		}
	}

	private String exchange(String head, int from, int to) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.node.port())) {
			socket.setSoTimeout(60_000);
			OutputStream out = socket.getOutputStream();
			out.write((head + "\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.write(Arrays.copyOfRange(this.bytes, from, to));
			out.flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		}
	}

	private static String header(String answer, String name) {
		Matcher m = Pattern.compile("(?im)^" + name + ": *([^\r\n]*)").matcher(answer);
		return m.find() ? m.group(1) : null;
	}

	private static String idOf(String location) {
		return location.substring(location.lastIndexOf('/') + 1);
	}

}
