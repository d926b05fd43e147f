package io.evhttp.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.s3.test.S3ProxyExtension;
import io.evhttp.s3.test.S3ProxyServer;
import org.springframework.test.context.DynamicPropertyRegistry;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The demo with {@code evhttp.storage.type=s3} against a real S3Proxy, set up as
 * CONTRACT.md starts it: the properties, the credentials the AWS SDK finds, the bucket,
 * and the check that a prefix holds neither an object nor an incomplete multipart upload.
 */
final class S3Mode {

	static final String BUCKET = "evhttp-demo";

	/**
	 * Where uploads go while their requests last (the demo's evhttp.storage.s3.prefix).
	 */
	static final String UPLOADS = "uploads/";

	/**
	 * A resumable upload's lease, shorter than the 3 s a request waits for one. S3Proxy
	 * checks {@code If-Match} before it writes, not atomically, so a release racing a
	 * request's stop flag can be lost there (S3 itself does not lose it); the lease then
	 * runs out within the wait instead of answering 423.
	 */
	static final String LEASE_DURATION = "2s";

	private S3Mode() {
	}

	/**
	 * Credentials in the system properties that the SDK's default provider chain reads
	 * first (the demo's users set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), and the
	 * bucket.
	 */
	static void prepare(S3ProxyExtension s3proxy) {
		System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
		System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
		s3proxy.server().createBucket(BUCKET);
	}

	static void clearCredentials() {
		System.clearProperty("aws.accessKeyId");
		System.clearProperty("aws.secretAccessKey");
	}

	static void register(DynamicPropertyRegistry registry, S3ProxyExtension s3proxy) {
		registry.add("evhttp.storage.type", () -> "s3");
		registry.add("evhttp.storage.s3.bucket", () -> BUCKET);
		registry.add("evhttp.storage.s3.endpoint", () -> s3proxy.server().endpoint().toString());
		registry.add("evhttp.storage.s3.path-style", () -> "true");
		registry.add("evhttp.storage.s3.region", () -> "us-east-1");
		registry.add("evhttp.storage.s3.prefix", () -> UPLOADS);
		// S3's smallest part: the test files span several
		registry.add("evhttp.storage.s3.part-size", () -> "5MB");
		registry.add("evhttp.resumable.s3.lease-duration", () -> LEASE_DURATION);
	}

	/** Nothing under the prefix: no object, no multipart upload begun and not ended. */
	static void assertNothingUnder(S3Client client, String prefix) {
		assertThat(client.listObjectsV2((r) -> r.bucket(BUCKET).prefix(prefix)).contents())
			.as("objects under %s", prefix)
			.isEmpty();
		assertThat(client.listMultipartUploads((r) -> r.bucket(BUCKET).prefix(prefix)).uploads())
			.as("multipart uploads under %s", prefix)
			.isEmpty();
	}

}
