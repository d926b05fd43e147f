package io.evhttp.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.resumable.ResumableStore;
import io.evhttp.s3.S3ResumableStore;
import io.evhttp.s3.test.S3ProxyExtension;
import io.evhttp.test.Wire;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The resumable contract with uploads in S3 ({@code evhttp.storage.type=s3} against a
 * real S3Proxy): every test of {@link ResumableContractTests}, after each one nothing
 * under the resumable prefix of the bucket (no object, no multipart upload); and a second
 * demo process on the same bucket continuing, fetching and deleting an upload the first
 * one created.
 */
@DirtiesContext
class S3ResumableContractTests extends ResumableContractTests {

	static final String RESUMABLE = "resumable/";

	@RegisterExtension
	static final S3ProxyExtension s3proxy = new S3ProxyExtension();

	@Autowired
	ResumableStore store;

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
	void bucketHoldsNothingOfADeletedUpload() {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> S3Mode.assertNothingUnder(s3proxy.client(), RESUMABLE));
	}

	@Test
	void uploadsGoToTheBucket() {
		assertThat(this.store).isInstanceOf(S3ResumableStore.class);
		assertThat(((S3ResumableStore) this.store).bucket()).isEqualTo(S3Mode.BUCKET);
		assertThat(((S3ResumableStore) this.store).prefix()).isEqualTo(RESUMABLE);
	}

	@Test
	void secondNodeOnTheSameBucketContinuesFetchesAndDeletesAnUpload() throws IOException {
		byte[] file = random(6 * MIB + 11, 7); // more than one 5 MiB part
		Path otherTmp = Files.createTempDirectory("evhttp-demo-node-b");
		try (ConfigurableApplicationContext nodeB = secondNode(otherTmp)) {
			int portB = Integer.parseInt(nodeB.getEnvironment().getRequiredProperty("local.evhttp.port"));
			String upload = create(this.port, file.length);
			int half = 3 * MIB;
			assertThat(patch(this.port, upload, 0, Arrays.copyOfRange(file, 0, half), null).status()).isEqualTo(204);
			assertThat(head(portB, upload).header("Upload-Offset")).isEqualTo(Integer.toString(half));
			Wire.Reply rest = patch(portB, upload, half, Arrays.copyOfRange(file, half, file.length), null);
			assertThat(rest.status()).isEqualTo(204);
			assertThat(head(this.port, upload).header("Upload-Offset")).isEqualTo(Integer.toString(file.length));
			assertFetched(this.port, upload, file);
			assertFetched(portB, upload, file);
			delete(portB, upload);
			assertThat(head(this.port, upload).status()).isEqualTo(404);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(filesIn(otherTmp)).isZero());
		}
	}

	/** Another demo process, as CONTRACT.md starts it, on the same bucket. */
	private static ConfigurableApplicationContext secondNode(Path tmp) {
		return new SpringApplicationBuilder(DemoApplication.class).run("--evhttp.port=0", "--evhttp.tmp-path=" + tmp,
				"--evhttp.storage.type=s3", "--evhttp.storage.s3.bucket=" + S3Mode.BUCKET,
				"--evhttp.storage.s3.endpoint=" + s3proxy.server().endpoint(), "--evhttp.storage.s3.path-style=true",
				"--evhttp.storage.s3.region=us-east-1", "--evhttp.storage.s3.prefix=" + S3Mode.UPLOADS,
				"--evhttp.storage.s3.part-size=5MB", "--evhttp.resumable.s3.lease-duration=" + S3Mode.LEASE_DURATION);
	}

}
