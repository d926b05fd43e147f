package io.evhttp.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.server.EvServer;
import io.evhttp.test.Wire;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The resumable contract of CONTRACT.md over real sockets, uploads kept in DIR
 * ({@code tmp-path}): tus creation and appends, the draft's creation with its content,
 * the bytes fetched back whole, termination leaving nothing in DIR, and the statuses of a
 * wrong checksum and a wrong offset. {@link S3ResumableContractTests} runs the same
 * against a bucket, and across two nodes.
 */
@SpringBootTest(properties = { "evhttp.port=0", "evhttp.tmp-path=${java.io.tmpdir}/evhttp-demo-tests-${random.uuid}" })
class ResumableContractTests {

	static final int MIB = 1024 * 1024;

	@Value("${local.evhttp.port}")
	int port;

	@Autowired
	EvServer server;

	@AfterEach
	void dirHoldsNothingOfATerminatedUpload() {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(filesIn(this.server.tmpPath())).isZero());
	}

	@Test
	void tusUploadInSeveralPatchesIsFetchedBackWholeThenDeleted() throws IOException {
		byte[] file = random(3 * MIB + 7, 1);
		String upload = create(this.port, file.length);
		assertThat(head(this.port, upload).header("Upload-Offset")).isEqualTo("0");
		for (int from = 0; from < file.length; from += MIB) {
			int to = Math.min(file.length, from + MIB);
			Wire.Reply patched = patch(this.port, upload, from, Arrays.copyOfRange(file, from, to), null);
			assertThat(patched.status()).isEqualTo(204);
			assertThat(patched.header("Upload-Offset")).isEqualTo(Integer.toString(to));
		}
		assertThat(head(this.port, upload).header("Upload-Length")).isEqualTo(Integer.toString(file.length));
		assertFetched(this.port, upload, file);
		delete(this.port, upload);
	}

	@Test
	void draftCreationWithItsContentCompletesInOneRequest() throws IOException {
		byte[] file = random(MIB + 3, 2);
		String upload;
		try (Wire wire = new Wire(this.port)) {
			wire.send("POST /resumable/ HTTP/1.1\nHost: x\nUpload-Draft-Interop-Version: 8\nUpload-Complete: ?1\n"
					+ "Content-Length: " + file.length, file);
			Wire.Reply interim = wire.read();
			assertThat(interim.status()).isEqualTo(104);
			Wire.Reply done = wire.readFinal(false);
			assertThat(done.status()).isEqualTo(200);
			assertThat(done.header("Upload-Complete")).isEqualTo("?1");
			upload = URI.create(done.header("Location")).getPath();
			assertThat(URI.create(interim.header("Location")).getPath()).isEqualTo(upload);
		}
		assertFetched(this.port, upload, file);
		delete(this.port, upload);
	}

	@Test
	void deleteRemovesAnUploadThatIsNotComplete() throws IOException {
		String upload = create(this.port, 100);
		assertThat(patch(this.port, upload, 0, random(40, 3), null).status()).isEqualTo(204);
		delete(this.port, upload);
		assertThat(head(this.port, upload).status()).isEqualTo(404);
	}

	@Test
	void checksumMismatchIs460AndNothingOfThatPatchIsKept() throws IOException {
		String upload = create(this.port, 10);
		byte[] bytes = "0123456789".getBytes(StandardCharsets.US_ASCII);
		String wrong = "sha1 " + Base64.getEncoder().encodeToString(sha("SHA-1", "something else".getBytes()));
		assertThat(patch(this.port, upload, 0, bytes, wrong).status()).isEqualTo(460);
		assertThat(head(this.port, upload).header("Upload-Offset")).isEqualTo("0");
		String right = "sha1 " + Base64.getEncoder().encodeToString(sha("SHA-1", bytes));
		assertThat(patch(this.port, upload, 0, bytes, right).status()).isEqualTo(204);
		assertFetched(this.port, upload, bytes);
		delete(this.port, upload);
	}

	@Test
	void offsetMismatchIs409() throws IOException {
		String upload = create(this.port, 10);
		Wire.Reply refused = patch(this.port, upload, 5, new byte[5], null);
		assertThat(refused.status()).isEqualTo(409);
		assertThat(head(this.port, upload).header("Upload-Offset")).isEqualTo("0");
		delete(this.port, upload);
	}

	// ---- a client of the contract, for this class and the S3 one

	static String create(int port, long length) throws IOException {
		Wire.Reply created = exchange(port, "POST /resumable/ HTTP/1.1\nHost: x\nTus-Resumable: 1.0.0\nUpload-Length: "
				+ length + "\nContent-Length: 0", null);
		assertThat(created.status()).isEqualTo(201);
		return URI.create(created.header("Location")).getPath();
	}

	static Wire.Reply patch(int port, String upload, long offset, byte[] bytes, String checksum) throws IOException {
		return exchange(port,
				"PATCH " + upload + " HTTP/1.1\nHost: x\nTus-Resumable: 1.0.0\nUpload-Offset: " + offset
						+ ((checksum != null) ? "\nUpload-Checksum: " + checksum : "")
						+ "\nContent-Type: application/offset+octet-stream\nContent-Length: " + bytes.length,
				bytes);
	}

	static Wire.Reply head(int port, String upload) throws IOException {
		return exchange(port, "HEAD " + upload + " HTTP/1.1\nHost: x\nTus-Resumable: 1.0.0", null);
	}

	static void delete(int port, String upload) throws IOException {
		Wire.Reply deleted = exchange(port,
				"DELETE " + upload + " HTTP/1.1\nHost: x\nTus-Resumable: 1.0.0\nContent-Length: 0", null);
		assertThat(deleted.status()).isEqualTo(204);
	}

	/** GET answers 200 with exactly the bytes uploaded, checked by SHA-256. */
	static void assertFetched(int port, String upload, byte[] file) throws IOException {
		Wire.Reply fetched = exchange(port, "GET " + upload + " HTTP/1.1\nHost: x", null);
		assertThat(fetched.status()).isEqualTo(200);
		assertThat(HexFormat.of().formatHex(sha("SHA-256", fetched.body())))
			.isEqualTo(HexFormat.of().formatHex(sha("SHA-256", file)));
	}

	static Wire.Reply exchange(int port, String head, byte[] body) throws IOException {
		try (Wire wire = new Wire(port)) {
			return wire.send(head, body).readFinal(head.startsWith("HEAD "));
		}
	}

	static byte[] random(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	static byte[] sha(String algorithm, byte[] bytes) {
		try {
			return MessageDigest.getInstance(algorithm).digest(bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Regular files under {@code directory}, at any depth. */
	static long filesIn(Path directory) throws IOException {
		try (Stream<Path> files = Files.walk(directory)) {
			return files.filter(Files::isRegularFile).count();
		}
	}

}
