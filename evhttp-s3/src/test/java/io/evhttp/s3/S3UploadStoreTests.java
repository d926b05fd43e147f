package io.evhttp.s3;

import static io.evhttp.s3.S3Objects.MIB;
import static io.evhttp.s3.S3Objects.randomBytes;
import static io.evhttp.s3.S3Objects.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.s3.RawClient.Answer;
import io.evhttp.s3.RawClient.Part;
import io.evhttp.s3.test.S3ProxyExtension;
import io.evhttp.s3.test.S3ProxyServer;
import io.evhttp.server.UploadListener;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files streamed into S3 (S3Proxy) while they arrive: every size around S3's 5 MiB part
 * minimum, several files per request, chunked and raw bodies, kept and unkept, each
 * checked by the SHA-256 of the stored object; and nothing left under the prefix or in
 * the spool directory afterwards.
 */
@ExtendWith(S3ProxyExtension.class)
class S3UploadStoreTests {

	private static final String BUCKET = "uploads";

	private final S3ProxyServer s3proxy;

	private StoreServer server;

	S3UploadStoreTests(S3ProxyServer s3proxy) {
		this.s3proxy = s3proxy;
	}

	@BeforeAll
	static void bucket(S3ProxyServer s3proxy) {
		s3proxy.createBucket(BUCKET);
	}

	@BeforeEach
	void start() throws IOException {
		this.server = new StoreServer(this.s3proxy, BUCKET, "t/", (s) -> s.partSize(5 * MIB).maxPartsInFlight(2),
				(o) -> o, UploadListener.NONE);
	}

	@AfterEach
	void nothingLeft() {
		try {
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				assertThat(this.server.leftovers()).isEmpty();
				assertThat(this.server.spooled()).isEmpty();
			});
		}
		finally {
			this.server.close();
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 5 * MIB - 1, 5 * MIB, 5 * MIB + 1, 64 * MIB + 12_345 })
	void fileIsStoredByteForByte(int size) throws IOException {
		byte[] bytes = randomBytes(size, size);
		Answer answer = RawClient.postMultipart(this.server.port(), "/up?keep",
				RawClient.multipart(new Part("f", "a.bin", bytes)));
		assertThat(answer.status()).isEqualTo(200);
		String[] line = answer.lines().get(0).split(" ");
		assertThat(line[1]).isEqualTo(Integer.toString(size));
		assertThat(line[2]).isEqualTo(sha256(bytes));
		assertThat(line[3]).startsWith("t/").matches("t/[0-9a-f]{32}");
		assertThat(storedSha256(line[3])).isEqualTo(sha256(bytes));
		delete(line[3]);
	}

	@Test
	void unkeptFilesAreGoneOnceAnswered() throws IOException {
		byte[] small = randomBytes(1000, 1);
		byte[] large = randomBytes(12 * MIB + 3, 2);
		Answer answer = RawClient.postMultipart(this.server.port(), "/up",
				RawClient.multipart(new Part("a", "a.bin", small), new Part("b", "b.bin", large)));
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.lines()).hasSize(2);
		assertThat(answer.lines().get(0)).startsWith("a 1000 " + sha256(small));
		assertThat(answer.lines().get(1)).startsWith("b " + large.length + " " + sha256(large));
		// nothingLeft() checks the prefix is empty
	}

	@Test
	void severalFilesOfAChunkedBodyEachBecomeAnObject() throws IOException {
		List<byte[]> files = List.of(randomBytes(7 * MIB, 3), randomBytes(3, 4), randomBytes(11 * MIB + 1, 5));
		Answer answer = RawClient.postChunked(this.server.port(), "/up?keep",
				"multipart/form-data; boundary=" + RawClient.BOUNDARY,
				RawClient.multipart(new Part("x", "1", files.get(0)), new Part("x", "2", files.get(1)),
						new Part("y", "3", files.get(2))));
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.lines()).hasSize(3);
		for (int i = 0; i < 3; i++) {
			String key = answer.lines().get(i).split(" ")[3];
			assertThat(storedSha256(key)).isEqualTo(sha256(files.get(i)));
			delete(key);
		}
	}

	@Test
	void rawBodyBecomesOneObject() throws IOException {
		byte[] bytes = randomBytes(9 * MIB + 7, 6);
		Answer answer = RawClient.put(this.server.port(), "/raw?keep", "", bytes);
		assertThat(answer.status()).isEqualTo(200);
		String key = answer.lines().get(0).split(" ")[3];
		assertThat(storedSha256(key)).isEqualTo(sha256(bytes));
		delete(key);
	}

	@Test
	void rawBodyWithTheRightContentDigestIsStored() throws Exception {
		byte[] bytes = randomBytes(12 * MIB, 8);
		String digest = java.util.Base64.getEncoder()
			.encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
		Answer answer = RawClient.put(this.server.port(), "/raw", "Content-Digest: sha-256=:" + digest + ":\r\n",
				bytes);
		assertThat(answer.status()).isEqualTo(200);
	}

	@Test
	void keptAsTheApplicationsKeyTheTemporaryObjectGoes() throws IOException {
		byte[] bytes = randomBytes(6 * MIB, 7);
		Answer answer = RawClient.postMultipart(this.server.port(), "/up?keepAs=kept/report.bin",
				RawClient.multipart(new Part("f", "report.bin", bytes)));
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.lines().get(0).split(" ")[3]).isEqualTo("kept/report.bin");
		assertThat(storedSha256("kept/report.bin")).isEqualTo(sha256(bytes));
		delete("kept/report.bin");
	}

	@Test
	void twoServersWriteIntoOneBucketAtOnce() throws Exception {
		try (StoreServer second = new StoreServer(this.s3proxy, BUCKET, "t/", (s) -> s.partSize(5 * MIB), (o) -> o,
				UploadListener.NONE)) {
			ExecutorService clients = Executors.newFixedThreadPool(4);
			try {
				List<byte[]> bodies = new ArrayList<>();
				List<Future<Answer>> answers = new ArrayList<>();
				for (int i = 0; i < 4; i++) {
					byte[] bytes = randomBytes(6 * MIB + i, 100 + i);
					bodies.add(bytes);
					int port = (i % 2 == 0) ? this.server.port() : second.port();
					Callable<Answer> upload = () -> RawClient.postMultipart(port, "/up?keep",
							RawClient.multipart(new Part("f", "f", bytes)));
					answers.add(clients.submit(upload));
				}
				for (int i = 0; i < 4; i++) {
					Answer answer = answers.get(i).get();
					assertThat(answer.status()).isEqualTo(200);
					String key = answer.lines().get(0).split(" ")[3];
					assertThat(storedSha256(key)).isEqualTo(sha256(bodies.get(i)));
					delete(key);
				}
			}
			finally {
				clients.shutdownNow();
			}
		}
	}

	private String storedSha256(String key) {
		return sha256(this.server.direct.getObjectAsBytes((r) -> r.bucket(BUCKET).key(key)).asByteArray());
	}

	private void delete(String key) {
		this.server.direct.deleteObject((r) -> r.bucket(BUCKET).key(key));
	}

}
