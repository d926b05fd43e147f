package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.http.HttpException;
import io.evhttp.server.EvServer;
import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.UploadListener;
import io.evhttp.spring.EvUploadHandler;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics, health and the {@code evhttp} endpoint, each present only with its library.
 */
class ObservabilityTests {

	@TempDir
	Path tmp;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EvHttpAutoConfiguration.class))
		.withUserConfiguration(EvHttpAutoConfigurationTests.OneHandler.class);

	@Test
	void metersDescribeTheServer() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0").run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(EvHttpMetrics.class).bindTo(registry);
			assertThat(registry.get("evhttp.connections.active").gauge().value()).isZero();
			assertThat(registry.get("evhttp.uploads.active").gauge().value()).isZero();
			assertThat(registry.get("evhttp.bytes.received").functionCounter().count()).isZero();
			assertThat(registry.get("evhttp.requests.rejected").tag("status", "413").functionCounter().count())
				.isZero();
		});
	}

	@Test
	void uploadDurationsAreTaggedWithRouteStoreAndOutcome() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0", "evhttp.limits.request=1KB")
			.run((context) -> {
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(EvHttpMetrics.class).bindTo(registry);
				int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
				HttpClient client = HttpClient.newHttpClient();
				URI uri = URI.create("http://127.0.0.1:" + port + "/x");
				assertThat(client
					.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("small")).build(),
							HttpResponse.BodyHandlers.discarding())
					.statusCode()).isEqualTo(200);
				// chunked, so refused only once the limit is crossed, mid-body
				HttpResponse<Void> refused = client.send(HttpRequest.newBuilder(uri)
					.POST(HttpRequest.BodyPublishers
						.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[64 * 1024])))
					.build(), HttpResponse.BodyHandlers.discarding());
				assertThat(refused.statusCode()).isEqualTo(413);
				await().untilAsserted(() -> {
					assertThat(registry.get("evhttp.upload.duration")
						.tags("route", "/x", "store", "default", "outcome", "SUCCESS")
						.timer()
						.count()).isOne();
					assertThat(registry.get("evhttp.upload.duration")
						.tags("route", "/x", "store", "default", "outcome", "CLIENT_ERROR")
						.timer()
						.count()).isOne();
				});
			});
	}

	@Test
	void healthIsUpWithTheListeningPortsAndFreeSpace() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0").run((context) -> {
			Health health = context.getBean(EvHttpHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat((List<?>) health.getDetails().get("ports")).hasSize(1);
			assertThat((Long) health.getDetails().get("tmpPathFreeBytes")).isPositive();
		});
	}

	@Test
	void healthIsDownWhenTmpPathVanished() throws Exception {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp.resolve("gone"), "evhttp.port=0")
			.run((context) -> {
				java.nio.file.Files.delete(this.tmp.resolve("gone"));
				assertThat(context.getBean(EvHttpHealthIndicator.class).health(true).getStatus())
					.isEqualTo(Status.DOWN);
			});
	}

	@Test
	void healthIsDownUnderTheFreeSpaceThreshold() {
		this.runner
			.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0",
					"evhttp.health.free-space-threshold=1000000TB")
			.run((context) -> {
				Health health = context.getBean(EvHttpHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("freeSpaceThreshold", 1000000L << 40);
			});
	}

	@Test
	void endpointListsCounters() {
		this.runner
			.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0",
					"management.endpoints.web.exposure.include=evhttp")
			.run((context) -> {
				Map<String, Object> result = context.getBean(EvHttpEndpoint.class).uploads();
				assertThat(result).containsKeys("uploads", "connections", "bytesReceived", "requests", "rejected");
				assertThat((List<?>) result.get("uploads")).isEmpty();
				assertThat(context.getBean(EvServer.class)).isNotNull();
			});
	}

	@Test
	void healthIndicatorAndEndpointFollowBootsSwitches() {
		this.runner
			.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0",
					"management.health.evhttp.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EvHttpHealthIndicator.class)
				.doesNotHaveBean(EvHttpEndpoint.class));
	}

	@Test
	void eachBacksOffWithoutItsLibrary() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp)
			.withClassLoader(new FilteredClassLoader(MeterBinder.class, AbstractHealthIndicator.class, Endpoint.class))
			.run((context) -> assertThat(context).hasSingleBean(EvServer.class)
				.doesNotHaveBean(EvHttpMetrics.class)
				.doesNotHaveBean(EvHttpHealthIndicator.class)
				.doesNotHaveBean(EvHttpEndpoint.class));
	}

	@Test
	void refusalsWithAnyStatusAreCounted() {
		refuseOnceAndCount(RefusingConfig.class, 429);
	}

	@Test
	void aStatusCountedFromTheStartIsNotRegisteredAgainAtItsFirstRefusal() {
		// Micrometer logs a second registration of a function counter (at WARN once per
		// JVM, then at DEBUG), so listen at DEBUG whatever ran before
		Logger logger = (Logger) LoggerFactory.getLogger(MeterRegistry.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		Level level = logger.getLevel();
		logger.setLevel(Level.DEBUG);
		logger.addAppender(appender);
		try {
			refuseOnceAndCount(UnsupportedConfig.class, 415);
			assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
				.noneMatch((message) -> message.contains("already registered"));
		}
		finally {
			logger.detachAppender(appender);
			logger.setLevel(level);
		}
	}

	/**
	 * Sends one request to a server whose handler refuses with {@code status}, and waits
	 * for the refusal to be counted once.
	 */
	private void refuseOnceAndCount(Class<?> refusingConfig, int status) {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EvHttpAutoConfiguration.class))
			.withUserConfiguration(refusingConfig)
			.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0")
			.run((context) -> {
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(EvHttpMetrics.class).bindTo(registry);
				int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
				HttpResponse<Void> response = HttpClient.newHttpClient()
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
							HttpResponse.BodyHandlers.discarding());
				assertThat(response.statusCode()).isEqualTo(status);
				await().untilAsserted(() -> assertThat(registry.find("evhttp.requests.rejected")
					.tag("status", String.valueOf(status))
					.functionCounter()).isNotNull().satisfies((counter) -> assertThat(counter.count()).isOne()));
			});
	}

	/** Refuses every request from its head with one status. */
	@EvUploadHandler
	static class Refusing implements Handler, UploadListener {

		private final int status;

		Refusing(int status) {
			this.status = status;
		}

		@Override
		public void onHead(Request request) {
			throw new HttpException(this.status, "refused");
		}

		@Override
		public void handle(Request request, Response response) {
			response.send("never");
		}

	}

	/** A status not counted from the start. */
	@Configuration(proxyBeanMethods = false)
	static class RefusingConfig {

		@Bean
		Refusing refusing() {
			return new Refusing(429);
		}

	}

	/** A status counted from the start. */
	@Configuration(proxyBeanMethods = false)
	static class UnsupportedConfig {

		@Bean
		Refusing unsupported() {
			return new Refusing(415);
		}

	}

}
