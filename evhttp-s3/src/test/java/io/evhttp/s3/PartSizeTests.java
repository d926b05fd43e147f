package io.evhttp.s3;

import static io.evhttp.s3.S3Objects.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Part sizes: the configured one, grown so that a file's bound fits in 10,000 parts. */
class PartSizeTests {

	private static final long GIB = 1024L * MIB;

	@TempDir
	Path spool;

	@Test
	void configuredSizeServesFilesThatFitIn10000Parts() {
		try (S3Client client = client(); S3UploadStore store = store(client, 8 * MIB)) {
			assertThat(store.partSize(-1)).isEqualTo(8 * MIB);
			assertThat(store.partSize(0)).isEqualTo(8 * MIB);
			assertThat(store.partSize(10_000L * 8 * MIB)).isEqualTo(8 * MIB);
		}
	}

	@Test
	void largerFilesGetWholeMibPartsThatFit() {
		try (S3Client client = client(); S3UploadStore store = store(client, 8 * MIB)) {
			long bound = 10_000L * 8 * MIB + 1;
			assertThat(store.partSize(bound)).isEqualTo(9 * MIB);
			assertThat(store.partSize(100 * GIB)).isEqualTo(11 * MIB);
			assertThat(store.partSize(5 * 1024 * GIB)).isEqualTo(525 * MIB); // S3's
																				// largest
																				// object
			assertThat(store.partSize(100 * 1024 * 1024 * GIB)).isEqualTo(S3UploadStore.MAX_PART_SIZE);
		}
	}

	@Test
	void partsUnderS3sMinimumAreRefused() {
		try (S3Client client = client()) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> S3UploadStore.builder(client, "b").partSize(5 * MIB - 1))
				.withMessageContaining("5 MiB");
		}
	}

	private S3UploadStore store(S3Client client, long partSize) {
		return S3UploadStore.builder(client, "b").partSize(partSize).spoolDirectory(this.spool).build();
	}

	private static S3Client client() {
		return S3Client.builder()
			.endpointOverride(URI.create("http://127.0.0.1:9"))
			.region(Region.US_EAST_1)
			.credentialsProvider(AnonymousCredentialsProvider.create())
			.build();
	}

}
