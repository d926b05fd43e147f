package io.evhttp.s3;

import static io.evhttp.s3.S3Objects.MIB;
import static io.evhttp.s3.S3Objects.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.s3.test.S3ProxyExtension;
import io.evhttp.s3.test.S3ProxyServer;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Rough numbers for planning test suites: how long S3Proxy takes to start and how fast
 * one client can put an object into it. Printed, not asserted, since they depend on the
 * machine.
 */
@ExtendWith(S3ProxyExtension.class)
class S3ProxyMeasurementTests {

	private static final int OBJECT_SIZE = 64 * MIB;

	@Test
	void startTimeAndSingleClientPutThroughputAreReported(S3ProxyServer server, S3Client s3) {
		server.createBucket("measure");
		byte[] bytes = randomBytes(OBJECT_SIZE, 1);
		// one small put first, so the client's and the server's first-request costs stay
		// out
		s3.putObject((request) -> request.bucket("measure").key("warm-up"), RequestBody.fromString("warm-up"));
		long started = System.nanoTime();
		s3.putObject((request) -> request.bucket("measure").key("large.bin"), RequestBody.fromBytes(bytes));
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		long stored = s3.headObject((request) -> request.bucket("measure").key("large.bin")).contentLength();
		assertThat(stored).isEqualTo(OBJECT_SIZE);
		double megabytesPerSecond = OBJECT_SIZE / 1e6 / (took.toNanos() / 1e9);
		System.out.printf(Locale.ROOT, "S3Proxy started in %d ms; PutObject of %d MiB took %d ms (%.1f MB/s)%n",
				server.lastStartTime().toMillis(), OBJECT_SIZE / MIB, took.toMillis(), megabytesPerSecond);
	}

}
