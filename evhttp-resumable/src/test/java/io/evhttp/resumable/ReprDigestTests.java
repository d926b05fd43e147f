package io.evhttp.resumable;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.test.Wire;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * RFC 9530 {@code Repr-Digest} on the draft, over real sockets: the client's digest of
 * the whole upload is checked before anything completes, and answered when asked for.
 */
class ReprDigestTests extends ResumableFixture {

	private static final String DRAFT = "Upload-Draft-Interop-Version: 8";

	@Test
	void uploadWholeInOneRequestWithItsDigestCompletesAndTheWantedDigestIsAnswered() throws Exception {
		int port = start();
		byte[] data = random(300_000, 1);
		try (Wire wire = new Wire(port)) {
			Wire.Reply interim = wire
				.send("POST /resumable/ HTTP/1.1\nHost: x\n" + DRAFT + "\nUpload-Complete: ?1\nRepr-Digest: "
						+ digest("SHA-256", data) + "\nWant-Repr-Digest: sha-256=5, sha-512=1\nContent-Length: "
						+ data.length, data)
				.read();
			assertThat(interim.status()).isEqualTo(104);
			Wire.Reply done = wire.read();
			assertThat(done.status()).isEqualTo(200);
			assertThat(done.header("Repr-Digest")).isEqualTo(digest("SHA-256", data));
			assertThat(this.events).hasSize(2).last().asString().startsWith("completed ");
		}
	}

	@Test
	void wantedDigestAloneIsAnsweredWithTheAlgorithmOfHighestWeight() throws Exception {
		int port = start();
		byte[] data = random(1000, 2);
		try (Wire wire = new Wire(port)) {
			wire.send("POST /resumable/ HTTP/1.1\nHost: x\n" + DRAFT
					+ "\nUpload-Complete: ?1\nWant-Repr-Digest: sha-256=1, sha-512=9, md5=10\nContent-Length: "
					+ data.length, data)
				.read();
			assertThat(wire.read().header("Repr-Digest")).isEqualTo(digest("SHA-512", data));
		}
	}

	@Test
	void mismatchInTheRequestCarryingTheWholeUploadIsRefusedAndTheOffsetStays() throws Exception {
		int port = start();
		byte[] data = random(200_000, 3);
		try (Wire wire = new Wire(port)) {
			String path = create(wire);
			Wire.Reply refused = append(wire, path, 0, data, "\nRepr-Digest: " + digest("SHA-256", new byte[1]));
			assertThat(refused.status()).isEqualTo(400);
			assertThat(head(wire, path).header("Upload-Offset")).isEqualTo("0");
			assertThat(this.events).containsExactly("created " + idOf(path));
			Wire.Reply done = append(wire, path, 0, data, "\nRepr-Digest: " + digest("SHA-256", data));
			assertThat(done.status()).isEqualTo(200);
			assertThat(sha256(wire.send("GET " + path + " HTTP/1.1\nHost: x", null).read().body()))
				.isEqualTo(sha256(data));
		}
	}

	@Test
	void uploadInSeveralRequestsIsReadBackAndCompletesWhenItsDigestMatches() throws Exception {
		int port = start();
		byte[] data = random(250_000, 4);
		try (Wire wire = new Wire(port)) {
			String path = create(wire);
			assertThat(append(wire, path, 0, Arrays.copyOfRange(data, 0, 100_000), false, "").status()).isEqualTo(204);
			Wire.Reply done = append(wire, path, 100_000, Arrays.copyOfRange(data, 100_000, data.length),
					"\nRepr-Digest: " + digest("SHA-512", data) + "\nWant-Repr-Digest: sha-512=1");
			assertThat(done.status()).isEqualTo(200);
			assertThat(done.header("Repr-Digest")).isEqualTo(digest("SHA-512", data));
			assertThat(this.events).containsExactly("created " + idOf(path), "completed " + idOf(path) + " 250000");
		}
	}

	@Test
	void mismatchOfAnUploadInSeveralRequestsNeverCompletesAndRemovesIt() throws Exception {
		int port = start();
		byte[] data = random(250_000, 5);
		try (Wire wire = new Wire(port)) {
			String path = create(wire);
			append(wire, path, 0, Arrays.copyOfRange(data, 0, 100_000), false, "");
			Wire.Reply refused = append(wire, path, 100_000, Arrays.copyOfRange(data, 100_000, data.length),
					"\nRepr-Digest: " + digest("SHA-256", new byte[0]));
			assertThat(refused.status()).isEqualTo(400);
			assertThat(head(wire, path).status()).isEqualTo(404);
			assertThat(this.events).containsExactly("created " + idOf(path));
		}
	}

	@Test
	void malformedReprDigestIsRefusedBeforeAnyByte() throws Exception {
		int port = start();
		String path;
		try (Wire wire = new Wire(port)) {
			path = create(wire);
			assertThat(append(wire, path, 0, new byte[10], "\nRepr-Digest: sha-256=notcolons").status()).isEqualTo(400);
		}
		try (Wire again = new Wire(port)) { // refused at its head: the connection closed
			assertThat(head(again, path).header("Upload-Offset")).isEqualTo("0");
		}
	}

	private String create(Wire wire) throws Exception {
		assertThat(wire
			.send("POST /resumable/ HTTP/1.1\nHost: x\n" + DRAFT + "\nUpload-Complete: ?0\nContent-Length: 0", null)
			.read()
			.status()).isEqualTo(104);
		Wire.Reply created = wire.read();
		assertThat(created.status()).isEqualTo(201);
		return pathOf(created.header("Location"));
	}

	private static Wire.Reply append(Wire wire, String path, long offset, byte[] body, String more) throws Exception {
		return append(wire, path, offset, body, true, more);
	}

	private static Wire.Reply append(Wire wire, String path, long offset, byte[] body, boolean complete, String more)
			throws Exception {
		return wire
			.send("PATCH " + path + " HTTP/1.1\nHost: x\n" + DRAFT
					+ "\nContent-Type: application/partial-upload\nUpload-Offset: " + offset + "\nUpload-Complete: "
					+ (complete ? "?1" : "?0") + "\nContent-Length: " + body.length + more, body)
			.read();
	}

	private static Wire.Reply head(Wire wire, String path) throws Exception {
		return wire.send("HEAD " + path + " HTTP/1.1\nHost: x\n" + DRAFT, null).read(true);
	}

	private static String digest(String algorithm, byte[] data) throws Exception {
		String name = algorithm.toLowerCase(java.util.Locale.ROOT);
		return name + "=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance(algorithm).digest(data))
				+ ":";
	}

}
