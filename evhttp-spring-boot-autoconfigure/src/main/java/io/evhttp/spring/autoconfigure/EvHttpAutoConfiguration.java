package io.evhttp.spring.autoconfigure;

import io.evhttp.server.EvServer;
import io.evhttp.server.ServerOptions;
import io.evhttp.spring.EvServerOptionsCustomizer;
import io.evhttp.upload.UploadStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the evhttp upload server: {@link ServerOptions} from
 * {@code evhttp.*}, the {@link EvServer}, and its lifecycle, which binds one listener per
 * port of the {@code @EvUploadHandler} beans. Handlers with {@code EXECUTOR} threading
 * and upload event listeners run on Boot's {@code applicationTaskExecutor}. Uploads go to
 * the {@link UploadStore} bean named {@value #SERVER_STORE} when there is one (the S3
 * store with {@code evhttp.storage.type=s3}), else to files in {@code tmp-path}.
 */
@AutoConfiguration(after = { TaskExecutionAutoConfiguration.class, SslAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration")
@ConditionalOnClass(EvServer.class)
@ConditionalOnBooleanProperty(name = "evhttp.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EvHttpProperties.class)
@Import({ S3StorageConfiguration.class, ResumableConfiguration.class })
public final class EvHttpAutoConfiguration {

	/** Name of the store bean the server stores uploads in, when there is one. */
	static final String SERVER_STORE = "evHttpUploadStore";

	private static final String APPLICATION_TASK_EXECUTOR = "applicationTaskExecutor";

	EvHttpAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	ServerOptions evHttpServerOptions(EvHttpProperties properties,
			@Qualifier(APPLICATION_TASK_EXECUTOR) ObjectProvider<Executor> applicationTaskExecutor,
			ObjectProvider<EvServerOptionsCustomizer> customizers) {
		ServerOptions bound = ServerOptionsMapping.of(properties,
				() -> applicationTaskExecutor.getIfAvailable(EvHttpAutoConfiguration::fallbackExecutor));
		ServerOptions.Builder options = bound.toBuilder();
		customizers.orderedStream().forEach((customizer) -> customizer.customize(options));
		return options.build();
	}

	@Bean
	@ConditionalOnMissingBean
	EvServer evServer(ServerOptions options, EvHttpProperties properties,
			@Qualifier(SERVER_STORE) ObjectProvider<UploadStore> store) {
		UploadStore chosen = store.getIfAvailable();
		if (chosen == null && properties.getStorage().getType() == EvHttpStorage.Type.S3) {
			throw new EvHttpStorageException("evhttp.storage.type",
					"evhttp.storage.type is s3 but evhttp-s3 is not on the classpath.",
					"Add the dependency io.evhttp:evhttp-s3, or set evhttp.storage.type to local.", null);
		}
		try {
			return new EvServer(options, chosen);
		}
		catch (IllegalStateException ex) {
			throw new EvHttpTmpPathException(options.uploads().tmpPath(), ex);
		}
	}

	@Bean
	@ConditionalOnMissingBean
	UploadsInFlight evHttpUploadsInFlight() {
		return new UploadsInFlight();
	}

	// Not replaceable: what it is built from is internal; customize options, routes and
	// the store instead.
	@Bean
	EvServerLifecycle evServerLifecycle(EvServer server, EvHttpProperties properties,
			ConfigurableApplicationContext context, UploadsInFlight inFlight,
			@Qualifier(APPLICATION_TASK_EXECUTOR) ObjectProvider<Executor> applicationTaskExecutor,
			ObjectProvider<ObservationRegistry> observationRegistry, ObjectProvider<AccessLogger> accessLog,
			ObjectProvider<HandlerRoute> declaredRoutes, ObjectProvider<SslBundles> sslBundles) {
		Environment environment = context.getEnvironment();
		if (!environment.containsProperty("evhttp.port")
				&& Integer.valueOf(0).equals(environment.getProperty("server.port", Integer.class))) {
			// @SpringBootTest(webEnvironment = RANDOM_PORT) sets server.port=0: follow it
			properties.setPort(0);
		}
		Executor executor = applicationTaskExecutor.getIfAvailable(EvHttpAutoConfiguration::fallbackExecutor);
		List<RequestTracking> trackers = new ArrayList<>();
		ObservationRegistry registry = observationRegistry.getIfAvailable();
		if (registry != null && !registry.isNoop()) {
			trackers.add(new RequestObservations(registry));
		}
		accessLog.ifAvailable(trackers::add);
		RequestTracking tracking = RequestTracking.of(trackers);
		UploadEventPublisher events = new UploadEventPublisher(context, executor, properties.getEvents(), tracking);
		UploadHandlerDiscoverer discoverer = new UploadHandlerDiscoverer(context.getBeanFactory(),
				context.getEnvironment(), properties, declaredRoutes.orderedStream().toList());
		EvHttpTls.Listeners tls = new EvHttpTls.Listeners(properties.getSsl(), sslBundles.getIfAvailable());
		return new EvServerLifecycle(server, properties, discoverer, events, executor, context, inFlight, tracking,
				tls);
	}

	/**
	 * The access log's writer; closed (its queue written out) when the context closes.
	 */
	@Bean
	@ConditionalOnBooleanProperty("evhttp.access-log.enabled")
	AccessLogger evHttpAccessLog() {
		return new AccessLogger();
	}

	/** Meters, when Micrometer is present (Boot binds every {@code MeterBinder} bean). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EvHttpMetrics evHttpMetrics(EvServer server, UploadsInFlight inFlight) {
			return new EvHttpMetrics(server, inFlight);
		}

		/**
		 * The request observations' meters where Boot makes observations' meters with its
		 * default handler: the same meters, looked up once per set of tags
		 * ({@link RequestMeters}). Follows
		 * {@code management.metrics.observations.ignored-meters} as the default does.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnBean(DefaultMeterObservationHandler.class)
		static class RequestMetersConfiguration {

			@Bean
			RequestMeters evHttpRequestMeters(ObjectProvider<MeterRegistry> registry, Environment environment) {
				List<IgnoredMeters> ignored = Binder.get(environment)
					.bind("management.metrics.observations.ignored-meters", Bindable.listOf(IgnoredMeters.class))
					.orElse(List.of());
				return new RequestMeters(registry.getIfAvailable(CompositeMeterRegistry::new),
						!ignored.contains(IgnoredMeters.LONG_TASK_TIMER));
			}

		}

	}

	/** The health indicator, when Boot's health module is present. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(AbstractHealthIndicator.class)
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "evhttpHealthIndicator")
		@ConditionalOnEnabledHealthIndicator("evhttp")
		EvHttpHealthIndicator evhttpHealthIndicator(EvServer server, EvServerLifecycle lifecycle,
				EvHttpProperties properties) {
			return new EvHttpHealthIndicator(server, lifecycle,
					properties.getHealth().getFreeSpaceThreshold().toBytes());
		}

	}

	/** The {@code evhttp} endpoint, when Actuator is present and the endpoint exposed. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		EvHttpEndpoint evHttpEndpoint(EvServer server, UploadsInFlight inFlight) {
			return new EvHttpEndpoint(server, inFlight);
		}

	}

	private static ExecutorService fallbackExecutor() {
		return Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "evhttp-handler");
			thread.setDaemon(true);
			return thread;
		});
	}

}
