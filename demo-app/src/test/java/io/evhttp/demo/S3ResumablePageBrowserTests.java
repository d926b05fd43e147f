package io.evhttp.demo;

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
 * The page's resumable section with uploads in S3 ({@code evhttp.storage.type=s3} against
 * a real S3Proxy): the steps of {@link ResumablePageBrowserTests}, and after each the
 * resumable prefix holds no object and no multipart upload.
 */
@DirtiesContext
class S3ResumablePageBrowserTests extends ResumablePageBrowserTests {

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
	void bucketHoldsNothingOfADeletedUpload() {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> S3Mode.assertNothingUnder(s3proxy.client(), S3ResumableContractTests.RESUMABLE));
	}

	@Override
	String screenshotName() {
		return "resumable-page-s3.png";
	}

}
