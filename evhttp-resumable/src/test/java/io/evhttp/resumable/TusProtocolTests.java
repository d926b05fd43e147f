package io.evhttp.resumable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.test.Wire;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** tus 1.0 core and every extension, over real sockets. */
class TusProtocolTests extends ResumableFixture {

	private static final String TUS = "Tus-Resumable: 1.0.0";

	private static final String OCTETS = "Content-Type: application/offset+octet-stream";

	@Test
	void optionsAdvertisesVersionExtensionsChecksumsAndMaxSize() throws Exception {
		int port = start(options().withMaxSize(1000), listener());
		try (Wire wire = new Wire(port)) {
			Wire.Reply r = wire.send("OPTIONS /resumable/ HTTP/1.1\nHost: x", null).read();
			assertThat(r.status()).isEqualTo(204);
			assertThat(r.header("Tus-Version")).isEqualTo("1.0.0");
			assertThat(r.header("Tus-Extension")).isEqualTo(
					"creation,creation-with-upload,creation-defer-length,termination,expiration,checksum,concatenation");
			assertThat(r.header("Tus-Checksum-Algorithm")).isEqualTo("sha1,sha256,md5");
			assertThat(r.header("Tus-Max-Size")).isEqualTo("1000");
		}
	}

	@Test
	void uploadIsCreatedAppendedInTwoPatchesAndServedWhole() throws Exception {
		int port = start();
		byte[] data = random(300_000, 1);
		String metadata = "filename " + Base64.getEncoder().encodeToString("a.bin".getBytes(StandardCharsets.UTF_8))
				+ ",private";
		try (Wire wire = new Wire(port)) {
			Wire.Reply created = wire
				.send("POST /resumable/ HTTP/1.1\nHost: h:1\n" + TUS + "\nUpload-Length: 300000\nUpload-Metadata: "
						+ metadata + "\nContent-Length: 0", null)
				.read();
			assertThat(created.status()).isEqualTo(201);
			assertThat(created.header("Location")).matches("http://h:1/resumable/[0-9a-f]{32}");
			assertThat(created.header("Tus-Resumable")).isEqualTo("1.0.0");
			assertThat(created.header("Upload-Expires")).endsWith("GMT");
			String path = pathOf(created.header("Location"));

			Wire.Reply head = wire.send("HEAD " + path + " HTTP/1.1\nHost: x\n" + TUS, null).read(true);
			assertThat(head.status()).isEqualTo(200);
			assertThat(head.header("Upload-Offset")).isEqualTo("0");
			assertThat(head.header("Upload-Length")).isEqualTo("300000");
			assertThat(head.header("Upload-Metadata")).isEqualTo(metadata);
			assertThat(head.header("Cache-Control")).isEqualTo("no-store");

			Wire.Reply first = patch(wire, path, 0, Arrays.copyOfRange(data, 0, 100_000), null);
			assertThat(first.status()).isEqualTo(204);
			assertThat(first.header("Upload-Offset")).isEqualTo("100000");
			assertThat(this.events).noneMatch((e) -> e.startsWith("completed"));
			Wire.Reply second = patch(wire, path, 100_000, Arrays.copyOfRange(data, 100_000, 300_000), null);
			assertThat(second.header("Upload-Offset")).isEqualTo("300000");
			assertThat(this.events).containsExactly("created " + idOf(path), "completed " + idOf(path) + " 300000");

			Wire.Reply get = wire.send("GET " + path + " HTTP/1.1\nHost: x", null).read();
			assertThat(get.status()).isEqualTo(200);
			assertThat(sha256(get.body())).isEqualTo(sha256(data));
		}
	}

	@Test
	void requestWithoutOrWithAnotherTusVersionGets412() throws Exception {
		int port = start();
		for (String version : new String[] { "", "\nTus-Resumable: 0.2.2" }) {
			try (Wire wire = new Wire(port)) {
				Wire.Reply r = wire
					.send("POST /resumable/ HTTP/1.1\nHost: x\nUpload-Length: 1\nContent-Length: 0" + version, null)
					.read();
				assertThat(r.status()).isEqualTo(412);
				assertThat(r.header("Tus-Version")).isEqualTo("1.0.0");
			}
		}
		assertThat(filesInDir()).isEmpty();
	}

	@Test
	void creationWithoutOrWithBothLengthsGets400AndStoresNothing() throws Exception {
		int port = start();
		for (String fields : new String[] { "", "\nUpload-Length: 5\nUpload-Defer-Length: 1",
				"\nUpload-Defer-Length: 2", "\nUpload-Length: -1",
				"\nUpload-Length: 5\nUpload-Metadata: k not*base64" }) {
			try (Wire wire = new Wire(port)) {
				Wire.Reply r = wire.send("POST /resumable/ HTTP/1.1\nHost: x\n" + TUS + fields, null).read();
				assertThat(r.status()).as(fields).isEqualTo(400);
			}
		}
		assertThat(filesInDir()).isEmpty();
	}

	@Test
	void creationOverTheMaximumSizeGets413() throws Exception {
		int port = start(options().withMaxSize(1000), listener());
		try (Wire wire = new Wire(port)) {
			assertThat(wire.send("POST /resumable/ HTTP/1.1\nHost: x\n" + TUS + "\nUpload-Length: 1001", null)
				.read()
				.status()).isEqualTo(413);
		}
		assertThat(filesInDir()).isEmpty();
	}

	@Test
	void patchAtAnotherOffsetGets409AndNothingIsStored() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "Upload-Length: 10");
			Wire.Reply r = patch(wire, path, 3, "abc".getBytes(StandardCharsets.US_ASCII), null);
			assertThat(r.status()).isEqualTo(409);
		}
		try (Wire wire = new Wire(port)) {
			assertThat(filesInDir()).hasSize(2);
			assertThat(Files.size(this.dir.resolve(filesInDir().get(0)))).isZero();
		}
	}

	@Test
	void patchOfAnotherContentTypeGets415() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "Upload-Length: 10");
			Wire.Reply r = wire
				.send("PATCH " + path + " HTTP/1.1\nHost: x\n" + TUS
						+ "\nUpload-Offset: 0\nContent-Type: text/plain\nContent-Length: 3", "abc".getBytes())
				.read();
			assertThat(r.status()).isEqualTo(415);
		}
	}

	@Test
	void patchWithoutOffsetGets400AndUnknownUploadGets404() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "Upload-Length: 10");
			assertThat(wire
				.send("PATCH " + path + " HTTP/1.1\nHost: x\n" + TUS + "\n" + OCTETS + "\nContent-Length: 1",
						"a".getBytes())
				.read()
				.status()).isEqualTo(400);
		}
		try (Wire wire = new Wire(port)) {
			assertThat(patch(wire, "/resumable/0123456789abcdef0123456789abcdef", 0, "a".getBytes(), null).status())
				.isEqualTo(404);
		}
		try (Wire wire = new Wire(port)) {
			assertThat(patch(wire, "/resumable/..%2Fetc", 0, "a".getBytes(), null).status()).isEqualTo(404);
		}
	}

	@Test
	void patchBeyondTheLengthGets413AndKeepsNothingOfIt() throws Exception {
		int port = start();
		String path;
		try (Wire wire = new Wire(port)) {
			path = create(wire, "Upload-Length: 4");
			assertThat(patch(wire, path, 0, "abcde".getBytes(), null).status()).isEqualTo(413);
		}
		try (Wire wire = new Wire(port)) {
			assertThat(head(wire, path).header("Upload-Offset")).isEqualTo("0");
		}
	}

	@Test
	void deferredLengthIsDeclaredByALaterPatch() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "Upload-Defer-Length: 1");
			Wire.Reply h = head(wire, path);
			assertThat(h.header("Upload-Defer-Length")).isEqualTo("1");
			assertThat(h.header("Upload-Length")).isNull();
			assertThat(patch(wire, path, 0, "abc".getBytes(), null).status()).isEqualTo(204);
			Wire.Reply last = wire
				.send("PATCH " + path + " HTTP/1.1\nHost: x\n" + TUS + "\n" + OCTETS
						+ "\nUpload-Offset: 3\nUpload-Length: 5\nContent-Length: 2", "de".getBytes())
				.read();
			assertThat(last.status()).isEqualTo(204);
			assertThat(last.header("Upload-Offset")).isEqualTo("5");
			assertThat(head(wire, path).header("Upload-Length")).isEqualTo("5");
			assertThat(this.events).contains("completed " + idOf(path) + " 5");
		}
	}

	@Test
	void creationWithUploadStoresTheFirstBytes() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			Wire.Reply r = wire
				.send("POST /resumable/ HTTP/1.1\nHost: x\n" + TUS + "\n" + OCTETS
						+ "\nUpload-Length: 6\nContent-Length: 4", "abcd".getBytes())
				.read();
			assertThat(r.status()).isEqualTo(201);
			assertThat(r.header("Upload-Offset")).isEqualTo("4");
			String path = pathOf(r.header("Location"));
			assertThat(patch(wire, path, 4, "ef".getBytes(), null).header("Upload-Offset")).isEqualTo("6");
			assertThat(wire.send("GET " + path + " HTTP/1.1\nHost: x", null).read().text()).isEqualTo("abcdef");
		}
	}

	@Test
	void checksumsOfEachAlgorithmAreVerified() throws Exception {
		int port = start();
		byte[] data = "hello".getBytes(StandardCharsets.US_ASCII);
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "Upload-Length: 15");
			int offset = 0;
			for (String[] alg : new String[][] { { "sha1", "SHA-1" }, { "sha256", "SHA-256" }, { "md5", "MD5" } }) {
				String sum = alg[0] + " "
						+ Base64.getEncoder().encodeToString(MessageDigest.getInstance(alg[1]).digest(data));
				Wire.Reply r = patch(wire, path, offset, data, sum);
				assertThat(r.status()).as(alg[0]).isEqualTo(204);
				offset += 5;
			}
			assertThat(head(wire, path).header("Upload-Offset")).isEqualTo("15");
		}
	}

	@Test
	void checksumMismatchGets460AndKeepsNothingOfThatPatch() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "Upload-Length: 10");
			assertThat(patch(wire, path, 0, "abc".getBytes(), null).status()).isEqualTo(204);
			String wrong = "sha1 "
					+ Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(new byte[1]));
			assertThat(patch(wire, path, 3, "defg".getBytes(), wrong).status()).isEqualTo(460);
			assertThat(head(wire, path).header("Upload-Offset")).isEqualTo("3");
			assertThat(Files.size(this.dir.resolve(idOf(path) + ".data"))).isEqualTo(3);
		}
	}

	@Test
	void checksumOfAnUnsupportedAlgorithmGets400() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "Upload-Length: 10");
			assertThat(patch(wire, path, 0, "abc".getBytes(), "crc32 AAAA").status()).isEqualTo(400);
		}
	}

	@Test
	void terminationRemovesTheUploadAtOnce() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "Upload-Length: 10");
			patch(wire, path, 0, "abc".getBytes(), null);
			Wire.Reply r = wire.send("DELETE " + path + " HTTP/1.1\nHost: x\n" + TUS, null).read();
			assertThat(r.status()).isEqualTo(204);
			assertThat(filesInDir()).isEmpty();
			assertThat(head(wire, path).status()).isEqualTo(404);
			assertThat(wire.send("DELETE " + path + " HTTP/1.1\nHost: x\n" + TUS, null).read().status()).isEqualTo(404);
			assertThat(this.events).containsExactly("created " + idOf(path), "terminated " + idOf(path));
		}
	}

	@Test
	void partialUploadsConcatenateIntoAFinalUpload() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			String a = create(wire, "Upload-Length: 3\nUpload-Concat: partial");
			String b = create(wire, "Upload-Length: 4\nUpload-Concat: partial");
			assertThat(head(wire, a).header("Upload-Concat")).isEqualTo("partial");
			patch(wire, b, 0, "defg".getBytes(), null);
			Wire.Reply early = wire
				.send("POST /resumable/ HTTP/1.1\nHost: x\n" + TUS + "\nUpload-Concat: final;" + a + " http://x" + b,
						null)
				.read();
			assertThat(early.status()).isEqualTo(400); // a is not complete
			patch(wire, a, 0, "abc".getBytes(), null);
			Wire.Reply fin = wire
				.send("POST /resumable/ HTTP/1.1\nHost: x\n" + TUS + "\nUpload-Concat: final;" + a + " http://x" + b,
						null)
				.read();
			assertThat(fin.status()).isEqualTo(201);
			String path = pathOf(fin.header("Location"));
			Wire.Reply h = head(wire, path);
			assertThat(h.header("Upload-Concat")).isEqualTo("final;" + a + " " + b);
			assertThat(h.header("Upload-Offset")).isEqualTo("7");
			assertThat(h.header("Upload-Length")).isEqualTo("7");
			assertThat(wire.send("GET " + path + " HTTP/1.1\nHost: x", null).read().text()).isEqualTo("abcdefg");
			assertThat(patch(wire, path, 7, "h".getBytes(), null).status()).isEqualTo(403);
		}
	}

	@Test
	void patchOverriddenFromPostIsAnAppend() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "Upload-Length: 3");
			Wire.Reply r = wire
				.send("POST " + path + " HTTP/1.1\nHost: x\n" + TUS + "\nX-HTTP-Method-Override: PATCH\n" + OCTETS
						+ "\nUpload-Offset: 0\nContent-Length: 3", "abc".getBytes())
				.read();
			assertThat(r.status()).isEqualTo(204);
			assertThat(r.header("Upload-Offset")).isEqualTo("3");
			assertThat(
					wire.send("POST " + path + " HTTP/1.1\nHost: x\n" + TUS + "\nX-HTTP-Method-Override: DELETE", null)
						.read()
						.status())
				.isEqualTo(204);
		}
	}

	@Test
	void otherMethodsGet405WithAllow() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			Wire.Reply r = wire.send("PUT /resumable/ HTTP/1.1\nHost: x\n" + TUS, null).read();
			assertThat(r.status()).isEqualTo(405);
			assertThat(r.header("Allow")).isEqualTo("OPTIONS, POST");
		}
	}

	@Test
	void expiredUploadGets410ThenIsSweptWithItsFiles() throws Exception {
		int port = start();
		try (Wire wire = new Wire(port)) {
			String path = create(wire, "Upload-Length: 10");
			patch(wire, path, 0, "abc".getBytes(), null);
			this.clock.advance(Duration.ofHours(25));
			assertThat(head(wire, path).status()).isEqualTo(410);
			assertThat(patch(wire, path, 3, "d".getBytes(), null).status()).isEqualTo(410);
		}
		String id = this.events.get(0).substring("created ".length());
		assertThat(this.endpoint.sweep()).isEqualTo(1);
		assertThat(this.endpoint.sweep()).isZero();
		assertThat(filesInDir()).isEmpty();
		assertThat(this.events).containsExactly("created " + id, "expired " + id);
	}

	@Test
	void applicationRefusesCreationBeforeAnythingIsStored() throws Exception {
		int port = start(options(), new ResumableEvents() {
			@Override
			public void onCreate(io.evhttp.server.Request request, NewUpload upload) {
				if (upload.length() > 100) {
					throw new io.evhttp.http.HttpException(403, "quota");
				}
			}
		});
		try (Wire wire = new Wire(port)) {
			Wire.Reply r = wire
				.send("POST /resumable/ HTTP/1.1\nHost: x\n" + TUS + "\n" + OCTETS
						+ "\nUpload-Length: 101\nContent-Length: 5", "abcde".getBytes())
				.read();
			assertThat(r.status()).isEqualTo(403);
		}
		assertThat(filesInDir()).isEmpty();
	}

	@Test
	void restartedServerResumesItsUploads() throws Exception {
		int port = start();
		byte[] data = random(200_000, 2);
		String path;
		try (Wire wire = new Wire(port)) {
			path = create(wire, "Upload-Length: 200000");
			patch(wire, path, 0, Arrays.copyOfRange(data, 0, 120_000), null);
		}
		stopAll();
		int again = start();
		try (Wire wire = new Wire(again)) {
			assertThat(head(wire, path).header("Upload-Offset")).isEqualTo("120000");
			assertThat(patch(wire, path, 120_000, Arrays.copyOfRange(data, 120_000, 200_000), null).status())
				.isEqualTo(204);
			assertThat(sha256(wire.send("GET " + path + " HTTP/1.1\nHost: x", null).read().body()))
				.isEqualTo(sha256(data));
		}
	}

	@Test
	void disconnectMidPatchKeepsTheBytesReceivedAndTheOffsetSaysSo() throws Exception {
		int port = start();
		byte[] data = random(1_000_000, 3);
		String path;
		try (Wire wire = new Wire(port)) {
			path = create(wire, "Upload-Length: 1000000");
		}
		try (Wire wire = new Wire(port)) {
			wire.send("PATCH " + path + " HTTP/1.1\nHost: x\n" + TUS + "\n" + OCTETS
					+ "\nUpload-Offset: 0\nContent-Length: 1000000", null);
			wire.sendBytes(data, 0, 400_000);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> Files.size(this.dir.resolve(idOf(path) + ".data")) == 400_000);
		}
		try (Wire wire = new Wire(port)) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> "400000".equals(head(wire, path).header("Upload-Offset")));
			assertThat(patch(wire, path, 400_000, Arrays.copyOfRange(data, 400_000, 1_000_000), null).status())
				.isEqualTo(204);
			assertThat(sha256(wire.send("GET " + path + " HTTP/1.1\nHost: x", null).read().body()))
				.isEqualTo(sha256(data));
		}
	}

	@Test
	void secondPatchStopsTheFirstWhichKeepsWhatItHadThenSees409() throws Exception {
		int port = start();
		byte[] data = random(500_000, 4);
		try (Wire first = new Wire(port); Wire second = new Wire(port)) {
			String path = create(second, "Upload-Length: 500000");
			first.send("PATCH " + path + " HTTP/1.1\nHost: x\n" + TUS + "\n" + OCTETS
					+ "\nUpload-Offset: 0\nContent-Length: 500000", null);
			first.sendBytes(data, 0, 100_000);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> Files.size(this.dir.resolve(idOf(path) + ".data")) == 100_000);
			Wire.Reply r = patch(second, path, 0, Arrays.copyOfRange(data, 0, 500_000), null);
			assertThat(r.status()).isEqualTo(409);
			assertThat(r.header("Upload-Offset")).isEqualTo("100000");
			assertThat(first.closedByServer()).isTrue();
		}
	}

	private String create(Wire wire, String fields) throws Exception {
		Wire.Reply r = wire.send("POST /resumable/ HTTP/1.1\nHost: x\n" + TUS + "\n" + fields, null).read();
		assertThat(r.status()).isEqualTo(201);
		return pathOf(r.header("Location"));
	}

	private Wire.Reply head(Wire wire, String path) throws Exception {
		return wire.send("HEAD " + path + " HTTP/1.1\nHost: x\n" + TUS, null).read(true);
	}

	static Wire.Reply patch(Wire wire, String path, long offset, byte[] body, String checksum) throws Exception {
		String sum = (checksum != null) ? "\nUpload-Checksum: " + checksum : "";
		return wire
			.send("PATCH " + path + " HTTP/1.1\nHost: x\n" + TUS + "\n" + OCTETS + "\nUpload-Offset: " + offset
					+ "\nContent-Length: " + body.length + sum, body)
			.read();
	}

}
