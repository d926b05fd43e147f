package io.evhttp.spring.autoconfigure;

import io.evhttp.s3.S3UploadStore;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The S3 store, with {@code evhttp.storage.type=s3} and evhttp-s3 on the classpath: an
 * {@link S3UploadStore} named {@value EvHttpAutoConfiguration#SERVER_STORE}, which the
 * server stores uploads in, its parts spooled in {@code tmp-path}. It is checked at
 * startup, so a bucket that is missing or out of reach fails the start rather than the
 * first upload. The {@link S3Client} is the application's when it has one; otherwise it
 * is built here, credentials coming from the AWS SDK's default provider chain, and closed
 * with the context.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(S3UploadStore.class)
@ConditionalOnProperty(name = "evhttp.storage.type", havingValue = "s3")
class S3StorageConfiguration {

	private static final String PREFIX = "evhttp.storage.s3.";

	/**
	 * Attempts per request, the first included: a few, so that an outage soon ends in
	 * 503.
	 */
	private static final int MAX_ATTEMPTS = 3;

	/** An S3 that does not accept a connection in this time is taken as unreachable. */
	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * Longest silence within one request. No timeout on a whole attempt: a part of
	 * hundreds of MiB on a slow link, or a copy of GiBs inside S3, may rightly take
	 * minutes, while a stalled one ends here.
	 */
	private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

	@Bean
	@ConditionalOnMissingBean
	S3Client evHttpS3Client(EvHttpProperties properties) {
		EvHttpStorage.S3 s3 = properties.getStorage().getS3();
		S3ClientBuilder builder = S3Client.builder()
			.forcePathStyle(s3.isPathStyle())
			.httpClientBuilder(Apache5HttpClient.builder()
				.maxConnections(s3.getMaxConcurrentRequests())
				.connectionTimeout(CONNECT_TIMEOUT)
				.socketTimeout(SOCKET_TIMEOUT))
			.overrideConfiguration((o) -> o
				.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build()));
		if (s3.getEndpoint() != null) {
			builder.endpointOverride(s3.getEndpoint());
		}
		if (StringUtils.hasText(s3.getRegion())) {
			builder.region(Region.of(s3.getRegion()));
		}
		try {
			return builder.build();
		}
		catch (SdkClientException ex) {
			throw new EvHttpStorageException(PREFIX + "region",
					"no S3 client can be built, evhttp.storage.s3.region being unset or wrong (" + ex.getMessage()
							+ ").",
					"Set evhttp.storage.s3.region (or AWS_REGION), and evhttp.storage.s3.endpoint for an "
							+ "S3-compatible service.",
					ex);
		}
	}

	@Bean(name = EvHttpAutoConfiguration.SERVER_STORE)
	@ConditionalOnMissingBean(name = EvHttpAutoConfiguration.SERVER_STORE)
	S3UploadStore evHttpUploadStore(ObjectProvider<S3Client> clients, EvHttpProperties properties) {
		EvHttpStorage.S3 s3 = properties.getStorage().getS3();
		if (!StringUtils.hasText(s3.getBucket())) {
			throw new EvHttpStorageException(PREFIX + "bucket",
					"evhttp.storage.type is s3 but evhttp.storage.s3.bucket is not set.",
					"Set evhttp.storage.s3.bucket to the bucket uploads are stored in, or evhttp.storage.type to "
							+ "local.",
					null);
		}
		// the bucket first: without it, no other setting matters
		S3Client client = clients.getObject();
		S3UploadStore.Builder builder = S3UploadStore.builder(client, s3.getBucket());
		set("prefix", s3.getPrefix(), builder::prefix);
		set("part-size", s3.getPartSize(), (size) -> builder.partSize(size.toBytes()));
		set("max-parts-in-flight", s3.getMaxPartsInFlight(), builder::maxPartsInFlight);
		set("max-concurrent-requests", s3.getMaxConcurrentRequests(), builder::maxConcurrentRequests);
		set("sweep-age", s3.getSweepAge(), builder::sweepAge);
		set("sweep-interval", s3.getSweepInterval(), builder::sweepInterval);
		builder.spoolDirectory(properties.getTmpPath());
		S3UploadStore store;
		try {
			store = builder.build();
		}
		catch (IllegalStateException ex) {
			throw new EvHttpTmpPathException(properties.getTmpPath(), ex);
		}
		try {
			store.check();
		}
		catch (IOException ex) {
			store.close();
			throw new EvHttpStorageException(PREFIX + "bucket",
					"bucket '" + s3.getBucket() + "' (evhttp.storage.s3.bucket) cannot be reached at " + where(client)
							+ ": " + ex.getMessage(),
					"Create the bucket, or check evhttp.storage.s3.endpoint, evhttp.storage.s3.region, "
							+ "evhttp.storage.s3.path-style and the credentials the AWS SDK finds (environment, "
							+ "profile, instance role).",
					ex);
		}
		return store;
	}

	private static String where(S3Client client) {
		return client.serviceClientConfiguration().endpointOverride().map(Object::toString).orElse("AWS S3")
				+ " (region " + client.serviceClientConfiguration().region() + ")";
	}

	/**
	 * Applies one property through the store's builder, which checks it.
	 * @throws InvalidConfigurationPropertyValueException naming the property when the
	 * builder refuses the value
	 */
	private static <V> void set(String property, V value, Consumer<V> setting) {
		try {
			setting.accept(value);
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + property, value, ex.getMessage());
		}
	}

}
