package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.server.EvServer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

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
			assertThat(registry.get("evhttp.upload.duration").timer().count()).isZero();
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
	void endpointListsCounters() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0").run((context) -> {
			Map<String, Object> result = context.getBean(EvHttpEndpoint.class).uploads();
			assertThat(result).containsKeys("uploads", "connections", "bytesReceived", "requests", "rejected");
			assertThat((List<?>) result.get("uploads")).isEmpty();
			assertThat(context.getBean(EvServer.class)).isNotNull();
		});
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

}
