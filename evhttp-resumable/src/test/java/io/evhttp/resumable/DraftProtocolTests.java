package io.evhttp.resumable;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.test.Wire;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The IETF "Resumable Uploads for HTTP" draft (interop 8, and 5/6), over real sockets.
 */
class DraftProtocolTests extends ResumableFixture {

	private static final String DRAFT = "Upload-Draft-Interop-Version: 8";

	private static final String PARTIAL = "Content-Type: application/partial-upload";

	@Test
	void creationAnnouncesTheUploadWith104ThenAnswers201WithTheSameLocation() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			Wire.Reply interim = wire
				.send("POST /resumable/ HTTP/1.1\nHost: h\n" + DRAFT
						+ "\nUpload-Complete: ?0\nUpload-Length: 10\nContent-Length: 4", "abcd".getBytes())
				.read();
			assertThat(interim.status()).isEqualTo(104);
			assertThat(interim.header("Location")).matches("http://h/resumable/[0-9a-f]{32}");
			assertThat(interim.header("Upload-Limit")).isEqualTo("min-size=0, max-age=86400");
			Wire.Reply created = wire.read();
			assertThat(created.status()).isEqualTo(201);
			assertThat(created.header("Location")).isEqualTo(interim.header("Location"));
			assertThat(created.header("Upload-Complete")).isEqualTo("?0");
			assertThat(created.header("Upload-Offset")).isEqualTo("4");
		}
	}

	@Test
	void tusClientsNeverSee104() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			Wire.Reply r = wire
				.send("POST /resumable/ HTTP/1.1\nHost: h\nTus-Resumable: 1.0.0\nUpload-Length: 4\n"
						+ "Content-Type: application/offset+octet-stream\nContent-Length: 4", "abcd".getBytes())
				.read();
			assertThat(r.status()).isEqualTo(201);
		}
	}

	@Test
	void appendsCompleteTheUploadWhichIsThenServedWhole() throws Exception {
		int port = start();
		byte[] data = random(250_000, 7);
		try (Wire wire = new Wire(port)) {
			String path = create(wire, Arrays.copyOfRange(data, 0, 50_000));
			Wire.Reply head = wire.send("HEAD " + path + " HTTP/1.1\nHost: x\n" + DRAFT, null).read(true);
			assertThat(head.status()).isEqualTo(204);
			assertThat(head.header("Upload-Offset")).isEqualTo("50000");
			assertThat(head.header("Upload-Complete")).isEqualTo("?0");
			assertThat(head.header("Upload-Limit")).startsWith("min-size=0, max-age=");
			assertThat(head.header("Cache-Control")).isEqualTo("no-store");
			Wire.Reply mid = append(wire, path, 50_000, Arrays.copyOfRange(data, 50_000, 100_000), false, "");
			assertThat(mid.status()).isEqualTo(204);
			assertThat(mid.header("Upload-Complete")).isEqualTo("?0");
			Wire.Reply last = append(wire, path, 100_000, Arrays.copyOfRange(data, 100_000, 250_000), true, "");
			assertThat(last.status()).isEqualTo(200);
			assertThat(last.header("Upload-Complete")).isEqualTo("?1");
			assertThat(
					wire.send("HEAD " + path + " HTTP/1.1\nHost: x\n" + DRAFT, null).read(true).header("Upload-Length"))
				.isEqualTo("250000");
			assertThat(sha256(wire.send("GET " + path + " HTTP/1.1\nHost: x", null).read().body()))
				.isEqualTo(sha256(data));
			assertThat(this.events).containsExactly("created " + idOf(path), "completed " + idOf(path) + " 250000");
		}
	}

	@Test
	void offsetMismatchGets409WithAProblemDocument() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "abc".getBytes());
			Wire.Reply r = append(wire, path, 7, "d".getBytes(), false, "");
			assertThat(r.status()).isEqualTo(409);
			assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
			assertThat(r.header("Upload-Offset")).isEqualTo("3");
			assertThat(r.header("Upload-Complete")).isEqualTo("?0");
			assertThat(r.text()).contains("mismatching-upload-offset", "\"expected-offset\":3",
					"\"provided-offset\":7");
		}
	}

	@Test
	void appendOfAnotherMediaTypeGets415() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "abc".getBytes());
			Wire.Reply r = wire
				.send("PATCH " + path + " HTTP/1.1\nHost: x\n" + DRAFT
						+ "\nUpload-Offset: 3\nUpload-Complete: ?0\nContent-Type: text/plain\nContent-Length: 1",
						"d".getBytes())
				.read();
			assertThat(r.status()).isEqualTo(415);
		}
	}

	@Test
	void appendWithoutUploadCompleteOrOffsetGets400() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "abc".getBytes());
			assertThat(wire
				.send("PATCH " + path + " HTTP/1.1\nHost: x\n" + DRAFT + "\n" + PARTIAL
						+ "\nUpload-Offset: 3\nContent-Length: 1", "d".getBytes())
				.read()
				.status()).isEqualTo(400);
		}
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "abc".getBytes());
			assertThat(wire
				.send("PATCH " + path + " HTTP/1.1\nHost: x\n" + DRAFT + "\n" + PARTIAL
						+ "\nUpload-Complete: ?0\nContent-Length: 1", "d".getBytes())
				.read()
				.status()).isEqualTo(400);
		}
	}

	@Test
	void inconsistentLengthGets400WithAProblemDocument() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "abc".getBytes()); // announced 1000 bytes
			Wire.Reply r = append(wire, path, 3, "d".getBytes(), false, "\nUpload-Length: 5");
			assertThat(r.status()).isEqualTo(400);
			assertThat(r.text()).contains("inconsistent-upload-length");
		}
	}

	@Test
	void contentDigestMismatchGets400AndKeepsNothingOfThatAppend() throws Exception {
		int port = start();
		byte[] d = "defg".getBytes(StandardCharsets.US_ASCII);
		String right = "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(d))
				+ ":";
		String wrong = "sha-256=:"
				+ Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(new byte[1])) + ":";
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "abc".getBytes());
			assertThat(append(wire, path, 3, d, false, "\nContent-Digest: " + wrong).status()).isEqualTo(400);
			assertThat(
					wire.send("HEAD " + path + " HTTP/1.1\nHost: x\n" + DRAFT, null).read(true).header("Upload-Offset"))
				.isEqualTo("3");
			assertThat(append(wire, path, 3, d, false, "\nContent-Digest: " + right).status()).isEqualTo(204);
		}
	}

	@Test
	void emptyAppendMarkedCompleteCompletesTheUpload() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			Wire.Reply interim = wire
				.send("POST /resumable/ HTTP/1.1\nHost: x\n" + DRAFT + "\nUpload-Complete: ?0\nContent-Length: 3",
						"abc".getBytes())
				.read();
			String path = pathOf(interim.header("Location"));
			assertThat(wire.read().status()).isEqualTo(201);
			Wire.Reply done = wire
				.send("PATCH " + path + " HTTP/1.1\nHost: x\n" + DRAFT
						+ "\nUpload-Offset: 3\nUpload-Complete: ?1\nContent-Length: 0", null)
				.read();
			assertThat(done.status()).isEqualTo(200);
			assertThat(wire.send("GET " + path + " HTTP/1.1\nHost: x", null).read().text()).isEqualTo("abc");
		}
	}

	@Test
	void appendReachingTheAnnouncedLengthCompletesTheUploadThoughNotMarkedComplete() throws Exception {
		int port = start();
		byte[] data = random(1000, 3);
		try (Wire wire = new Wire(port)) {
			String path = create(wire, Arrays.copyOfRange(data, 0, 400)); // announced
																			// 1000 bytes
			Wire.Reply last = append(wire, path, 400, Arrays.copyOfRange(data, 400, 1000), false, "");
			assertThat(last.status()).isEqualTo(200);
			assertThat(last.header("Upload-Complete")).isEqualTo("?1");
			assertThat(sha256(wire.send("GET " + path + " HTTP/1.1\nHost: x", null).read().body()))
				.isEqualTo(sha256(data));
			assertThat(this.events).containsExactly("created " + idOf(path), "completed " + idOf(path) + " 1000");
		}
	}

	@Test
	void emptyUploadAnnouncedWithLengthZeroIsCompleteAtCreation() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			assertThat(wire
				.send("POST /resumable/ HTTP/1.1\nHost: x\n" + DRAFT
						+ "\nUpload-Complete: ?0\nUpload-Length: 0\nContent-Length: 0", null)
				.read()
				.status()).isEqualTo(104);
			Wire.Reply created = wire.read();
			assertThat(created.status()).isEqualTo(200);
			assertThat(created.header("Upload-Complete")).isEqualTo("?1");
			Wire.Reply get = wire.send("GET " + pathOf(created.header("Location")) + " HTTP/1.1\nHost: x", null).read();
			assertThat(get.status()).isEqualTo(200);
			assertThat(get.body()).isEmpty();
		}
	}

	@Test
	void appendToACompleteUploadGets400WithACompletedUploadProblem() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			String path = createComplete(wire, random(1000, 5));
			Wire.Reply sized = append(wire, path, 1000, "x".getBytes(), false, "");
			assertThat(sized.status()).isEqualTo(400);
			assertThat(sized.text()).contains("completed-upload");
		}
		try (Wire wire = new Wire(port)) {
			String path = createComplete(wire, random(1000, 5));
			Wire.Reply chunked = wire
				.send("PATCH " + path + " HTTP/1.1\nHost: x\n" + DRAFT + "\n" + PARTIAL
						+ "\nUpload-Offset: 1000\nUpload-Complete: ?0\nTransfer-Encoding: chunked",
						"1\r\nx\r\n0\r\n\r\n".getBytes())
				.read();
			assertThat(chunked.status()).isEqualTo(400);
			assertThat(chunked.text()).contains("completed-upload");
			try (Wire again = new Wire(port)) { // a refused body closes its connection
				assertThat(sha256(again.send("GET " + path + " HTTP/1.1\nHost: x", null).read().body()))
					.isEqualTo(sha256(random(1000, 5)));
			}
		}
	}

	@Test
	void contentBeyondTheAnnouncedLengthGets400InconsistentLengthAndKeepsNothingOfIt() throws Exception {
		int port = start();
		String path;
		try (Wire wire = new Wire(port)) {
			path = create(wire, "abc".getBytes()); // announced 1000 bytes
			Wire.Reply r = append(wire, path, 3, new byte[998], false, "");
			assertThat(r.status()).isEqualTo(400);
			assertThat(r.text()).contains("inconsistent-upload-length");
		}
		try (Wire wire = new Wire(port)) {
			Wire.Reply head = wire.send("HEAD " + path + " HTTP/1.1\nHost: x\n" + DRAFT, null).read(true);
			assertThat(head.header("Upload-Offset")).isEqualTo("3");
		}
	}

	@Test
	void completionAtAnotherLengthThanAnnouncedGets400BeforeAnyByteIsStored() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			Wire.Reply r = wire
				.send("POST /resumable/ HTTP/1.1\nHost: x\n" + DRAFT
						+ "\nUpload-Complete: ?1\nUpload-Length: 10\nContent-Length: 5", "hello".getBytes())
				.read();
			assertThat(r.status()).isEqualTo(400);
			assertThat(r.text()).contains("inconsistent-upload-length");
			assertThat(this.events).isEmpty();
		}
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "abc".getBytes()); // announced 1000 bytes
			Wire.Reply r = append(wire, path, 3, "defg".getBytes(), true, "\nUpload-Length: 1000");
			assertThat(r.status()).isEqualTo(400);
			assertThat(r.text()).contains("inconsistent-upload-length");
			try (Wire again = new Wire(port)) { // a refused body closes its connection
				Wire.Reply head = again.send("HEAD " + path + " HTTP/1.1\nHost: x\n" + DRAFT, null).read(true);
				assertThat(head.header("Upload-Offset")).isEqualTo("3");
				assertThat(head.header("Upload-Complete")).isEqualTo("?0");
			}
		}
	}

	@Test
	void wholeUploadInTheCreationRequestIsCompleteAtOnce() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			Wire.Reply interim = wire
				.send("POST /resumable/ HTTP/1.1\nHost: x\n" + DRAFT + "\nUpload-Complete: ?1\nContent-Length: 5",
						"hello".getBytes())
				.read();
			assertThat(interim.status()).isEqualTo(104);
			Wire.Reply done = wire.read();
			assertThat(done.status()).isEqualTo(200);
			assertThat(done.header("Upload-Complete")).isEqualTo("?1");
			assertThat(wire.send("GET " + pathOf(done.header("Location")) + " HTTP/1.1\nHost: x", null).read().text())
				.isEqualTo("hello");
		}
	}

	@Test
	void cancellationRemovesTheUpload() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "abc".getBytes());
			assertThat(wire.send("DELETE " + path + " HTTP/1.1\nHost: x\n" + DRAFT, null).read().status())
				.isEqualTo(204);
			assertThat(filesInDir()).isEmpty();
		}
	}

	@Test
	void optionsAnnouncesUploadLimit() throws Exception {
		int port = start(options().withMaxSize(1 << 20), listener());
		try (Wire wire = new Wire(port)) {
			Wire.Reply r = wire.send("OPTIONS /resumable/ HTTP/1.1\nHost: x\n" + DRAFT, null).read();
			assertThat(r.header("Upload-Limit")).isEqualTo("max-size=1048576, max-age=86400");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "4", "9", "x" })
	void unsupportedInteropVersionGets400(String version) throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			assertThat(wire
				.send("POST /resumable/ HTTP/1.1\nHost: x\nUpload-Draft-Interop-Version: " + version
						+ "\nUpload-Complete: ?0", null)
				.read()
				.status()).isEqualTo(400);
		}
		assertThat(filesInDir()).isEmpty();
	}

	@Test
	void interopVersion5AppendsWithoutAMediaType() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			Wire.Reply interim = wire
				.send("POST /resumable/ HTTP/1.1\nHost: x\nUpload-Draft-Interop-Version: 5"
						+ "\nUpload-Complete: ?0\nContent-Length: 0", null)
				.read();
			assertThat(interim.status()).isEqualTo(104);
			String path = pathOf(wire.read().header("Location"));
			Wire.Reply r = wire
				.send("PATCH " + path + " HTTP/1.1\nHost: x\nUpload-Draft-Interop-Version: 5"
						+ "\nUpload-Offset: 0\nUpload-Complete: ?1\nContent-Length: 2", "ok".getBytes())
				.read();
			assertThat(r.status()).isEqualTo(200);
		}
	}

	/** Creates an upload of 1000 bytes with its first bytes; returns its path. */
	private String create(Wire wire, byte[] first) throws Exception {
		Wire.Reply interim = wire
			.send("POST /resumable/ HTTP/1.1\nHost: x\n" + DRAFT + "\nUpload-Complete: ?0\nUpload-Length: "
					+ (first.length < 1000 ? 1000 : 250_000) + "\nContent-Length: " + first.length, first)
			.read();
		assertThat(interim.status()).isEqualTo(104);
		Wire.Reply created = wire.read();
		assertThat(created.status()).isEqualTo(201);
		return pathOf(created.header("Location"));
	}

	/** Creates an upload whole in its creation request; returns its path. */
	private String createComplete(Wire wire, byte[] data) throws Exception {
		assertThat(wire
			.send("POST /resumable/ HTTP/1.1\nHost: x\n" + DRAFT + "\nUpload-Complete: ?1\nContent-Length: "
					+ data.length, data)
			.read()
			.status()).isEqualTo(104);
		Wire.Reply done = wire.read();
		assertThat(done.status()).isEqualTo(200);
		return pathOf(done.header("Location"));
	}

	private static Wire.Reply append(Wire wire, String path, long offset, byte[] body, boolean complete, String more)
			throws Exception {
		return wire
			.send("PATCH " + path + " HTTP/1.1\nHost: x\n" + DRAFT + "\n" + PARTIAL + "\nUpload-Offset: " + offset
					+ "\nUpload-Complete: " + (complete ? "?1" : "?0") + "\nContent-Length: " + body.length + more,
					body)
			.read();
	}

}
