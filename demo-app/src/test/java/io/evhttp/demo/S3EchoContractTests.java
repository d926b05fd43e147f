package io.evhttp.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import io.evhttp.s3.S3UploadStore;
import io.evhttp.s3.test.S3ProxyExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The echo contract with files in S3 ({@code evhttp.storage.type=s3} against a real
 * S3Proxy): every test of {@link EchoContractTests}, and after each one the uploads
 * prefix of the bucket holds no object and no multipart upload, and tmp-path (where parts
 * are spooled) no file, refused requests and clients that left included.
 */
@DirtiesContext
class S3EchoContractTests extends EchoContractTests {

	@RegisterExtension
	static final S3ProxyExtension s3proxy = new S3ProxyExtension();

	@DynamicPropertySource
	static void s3(DynamicPropertyRegistry registry) {
		S3Mode.register(registry, s3proxy);
	}

	@BeforeAll
	static void prepare() {
		S3Mode.prepare(s3proxy);
	}

	@AfterAll
	static void clearCredentials() {
		S3Mode.clearCredentials();
	}

	@AfterEach
	void bucketHoldsNothingOfAFinishedRequest() {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> S3Mode.assertNothingUnder(s3proxy.client(), S3Mode.UPLOADS));
	}

	@Test
	void filesGoToTheBucket() {
		assertThat(this.server.store()).isInstanceOf(S3UploadStore.class);
		assertThat(((S3UploadStore) this.server.store()).bucket()).isEqualTo(S3Mode.BUCKET);
	}

	@Test
	void fileOfSeveralPartsIsEchoedWithItsSha256() throws Exception {
		byte[] file = random(11 * 1024 * 1024 + 7, 6);
		byte[] body = new Form().file("f", "parts.bin", null, file).field("after", "yes").build();
		try (Client client = new Client(this.port)) {
			client.send(("POST /upload?sha256=1 HTTP/1.1\r\nHost: x\r\nContent-Type: " + Form.TYPE
					+ "\r\nContent-Length: " + body.length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			client.send(body);
			Reply reply = client.read();
			assertThat(reply.status()).isEqualTo(200);
			assertThat(JsonPath.<Integer>read(reply.body(), "$.files[0].size")).isEqualTo(file.length);
			assertThat(JsonPath.<String>read(reply.body(), "$.files[0].sha256")).isEqualTo(sha256(file));
			assertThat(JsonPath.<String>read(reply.body(), "$.fields.after[0]")).isEqualTo("yes");
		}
	}

	@Test
	void sameAnswerForAnEmptyFile() throws IOException {
		try (Client client = new Client(this.port)) {
			byte[] body = new Form().file("f", "empty", null, new byte[0]).build();
			client.send(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: " + Form.TYPE + "\r\nContent-Length: "
					+ body.length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			client.send(body);
			assertThat(JsonPath.<Integer>read(client.read().body(), "$.files[0].size")).isZero();
		}
	}

}
