package io.evhttp.spring.autoconfigure;

import io.evhttp.resumable.LocalResumableStore;
import io.evhttp.resumable.ResumableOptions;
import io.evhttp.resumable.ResumableStore;
import io.evhttp.resumable.ResumableUploads;
import io.evhttp.s3.S3ResumableStore;
import io.evhttp.spring.ResumableUploadGuard;
import io.evhttp.spring.Threading;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The resumable-upload endpoint, with {@code evhttp.resumable.enabled=true} and
 * evhttp-resumable on the classpath: a {@link ResumableUploads} routed like a handler
 * under {@code evhttp.resumable.path} (a {@link HandlerRoute} bean the lifecycle finds
 * beside the {@code @EvUploadHandler} ones), over the {@link ResumableStore} bean: files
 * in {@code evhttp.resumable.storage-path}, or with {@code evhttp.storage.type=s3}
 * objects in the bucket of {@code evhttp.storage.s3}, which every node sharing it serves.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ResumableUploads.class)
@ConditionalOnBooleanProperty("evhttp.resumable.enabled")
class ResumableConfiguration {

	static final String STORE = "evHttpResumableStore";

	@Bean(name = STORE)
	@ConditionalOnMissingBean(ResumableStore.class)
	@ConditionalOnProperty(name = "evhttp.storage.type", havingValue = "local", matchIfMissing = true)
	LocalResumableStore evHttpResumableStore(EvHttpProperties properties) {
		try {
			return new LocalResumableStore(properties.getResumable().getStoragePath());
		}
		catch (UncheckedIOException ex) {
			throw new EvHttpStorageException("evhttp.resumable.storage-path", ex.getMessage() + ".",
					"Set evhttp.resumable.storage-path to a directory the application may write.", ex);
		}
	}

	@Bean
	@ConditionalOnMissingBean
	ResumableUploads evHttpResumableUploads(EvHttpProperties properties, ResumableStore store,
			ApplicationEventPublisher publisher, ObjectProvider<ResumableUploadGuard> guards,
			ObjectProvider<ResumableMeters> meters) {
		EvHttpResumable resumable = properties.getResumable();
		ResumableOptions options = ResumableOptions.defaults()
			.withBasePath(resumable.getPath())
			.withBaseUrl(StringUtils.hasText(resumable.getBaseUrl()) ? resumable.getBaseUrl() : null)
			.withMaxSize((resumable.getMaxSize() != null) ? resumable.getMaxSize().toBytes() : -1)
			.withExpiry(resumable.getExpiry())
			.withLeaseWait(resumable.getLeaseWait())
			.withSweepInterval(Duration.ZERO); // swept by ResumableSweeper, with the
												// server
		ResumableMeters meter = meters.getIfAvailable(() -> ResumableMeters.NONE);
		ResumableStore served = (meter != ResumableMeters.NONE) ? new MeteredResumableStore(store, meter) : store;
		List<ResumableUploadGuard> ordered = guards.orderedStream().toList();
		return new ResumableUploads(options, served, new ResumableEventPublisher(publisher, ordered, meter));
	}

	@Bean
	@ConditionalOnMissingBean
	ResumableSweeper evHttpResumableSweeper(ResumableUploads uploads, EvHttpProperties properties) {
		return new ResumableSweeper(uploads, properties.getResumable().getSweepInterval());
	}

	/** The endpoint as a route: its requests are answered on its own threads. */
	@Bean
	HandlerRoute evHttpResumableRoute(ResumableUploads uploads, EvHttpProperties properties) {
		EvHttpResumable resumable = properties.getResumable();
		int port = (resumable.getPort() != null) ? resumable.getPort() : properties.getPort();
		// no request limit of the server's: the endpoint enforces max-size itself
		return new HandlerRoute("evHttpResumableUploads", uploads, uploads, port, List.of(resumable.getPath() + "**"),
				Threading.EVENT_LOOP, Long.MIN_VALUE, -1, null, false, null, null);
	}

	/** Resumable uploads in the bucket of {@code evhttp.storage.s3}. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(S3ResumableStore.class)
	@ConditionalOnProperty(name = "evhttp.storage.type", havingValue = "s3")
	static class S3StoreConfiguration {

		@Bean(name = STORE)
		@ConditionalOnMissingBean(ResumableStore.class)
		S3ResumableStore evHttpResumableStore(ObjectProvider<S3Client> clients, EvHttpProperties properties) {
			EvHttpStorage.S3 s3 = properties.getStorage().getS3();
			EvHttpResumable.S3 resumable = properties.getResumable().getS3();
			if (!StringUtils.hasText(s3.getBucket())) {
				throw new EvHttpStorageException("evhttp.storage.s3.bucket",
						"evhttp.storage.type is s3 but evhttp.storage.s3.bucket is not set.",
						"Set evhttp.storage.s3.bucket to the bucket uploads are stored in.", null);
			}
			return S3ResumableStore.builder(clients.getObject(), s3.getBucket())
				.prefix(resumable.getPrefix())
				.partSize(s3.getPartSize().toBytes())
				.maxPartsInFlight(s3.getMaxPartsInFlight())
				.maxConcurrentRequests(s3.getMaxConcurrentRequests())
				.leaseDuration(resumable.getLeaseDuration())
				.pollInterval(resumable.getPollInterval())
				.spoolDirectory(properties.getTmpPath()) // beside the uploads' parts:
															// tmp-path ends empty
				.build();
		}

	}

	/** Meters, when Micrometer is present. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ResumableMetrics evHttpResumableMetrics(ObjectProvider<ResumableStore> store) {
			return new ResumableMetrics(store::getIfAvailable);
		}

	}

}
