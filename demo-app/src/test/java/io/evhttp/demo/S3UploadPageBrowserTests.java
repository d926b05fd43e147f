package io.evhttp.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.s3.test.S3ProxyExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The upload page with files in S3 ({@code evhttp.storage.type=s3} against a real
 * S3Proxy): the same steps as {@link UploadPageBrowserTests}; the files the page keeps
 * are objects under {@code files/}, and the uploads prefix ends with no object and no
 * multipart upload, the refused file's included.
 */
@DirtiesContext
class S3UploadPageBrowserTests extends UploadPageBrowserTests {

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
	void bucketHoldsNothingOfTheUploads() {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> S3Mode.assertNothingUnder(s3proxy.client(), S3Mode.UPLOADS));
	}

	@Override
	void storedNamesInclude(String name) {
		assertThat(s3proxy.client().listObjectsV2((r) -> r.bucket(S3Mode.BUCKET).prefix("files/")).contents())
			.extracting((o) -> o.key())
			.contains("files/" + name);
	}

	@Override
	String screenshotName() {
		return "upload-page-s3.png";
	}

}
