package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.spring.EvUploadHandler;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Boot's metrics, evhttp's requests get the meters Boot's default handler would
 * make, through {@link RequestMeters}, and every other observation still gets Boot's
 * default.
 */
class RequestMetersTests {

	private static final String NAME = RequestObservations.NAME;

	@TempDir
	Path tmp;

	private final HttpClient client = HttpClient.newHttpClient();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					EvHttpAutoConfiguration.class))
			.withUserConfiguration(RequestObservationTests.Handlers.class)
			.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0");
	}

	@Test
	void requestsAreTimedWithBootsTagsAndOtherObservationsKeepTheDefault() {
		runner().run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (int i = 0; i < 3; i++) {
				assertThat(send(port, "GET", "/files/" + i)).isEqualTo(200);
			}
			assertThat(send(port, "GET", "/boom")).isEqualTo(500);
			await().untilAsserted(() -> assertThat(timerCount(registry, "uri", "/boom")).isEqualTo(1));
			Timer files = registry.get(NAME)
				.tags("method", "GET", "uri", "/files/*", "status", "200", "outcome", "SUCCESS", "exception", "none",
						"error", "none")
				.timer();
			assertThat(files.count()).isEqualTo(3);
			assertThat(registry.get(NAME)
				.tags("uri", "/boom", "status", "500", "outcome", "SERVER_ERROR", "exception", "IllegalStateException",
						"error", "IllegalStateException")
				.timer()
				.count()).isEqualTo(1);
			// started before the route is known, as the default's long-task timer is
			LongTaskTimer active = registry.get(NAME + ".active")
				.tags("method", "GET", "uri", "UNKNOWN")
				.longTaskTimer();
			assertThat(active.activeTasks()).isZero();
			RequestMeters meters = context.getBean(RequestMeters.class);
			assertThat(meters.cachedSets()).isEqualTo(3);

			Observation.createNotStarted("other.work", context.getBean(ObservationRegistry.class)).observe(() -> {
			});
			assertThat(registry.get("other.work").timer().count()).isEqualTo(1);
			assertThat(registry.get("other.work.active").longTaskTimer()).isNotNull();
			assertThat(meters.cachedSets()).isEqualTo(3);
		});
	}

	@Test
	void tagsAnObservationFilterAddsAreOnTheMeters() {
		runner().withUserConfiguration(RegionFilter.class).run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(send(port, "GET", "/files/1")).isEqualTo(200);
			await().untilAsserted(() -> assertThat(timerCount(registry, "region", "eu")).isEqualTo(1));
			assertThat(registry.get(NAME).tags("uri", "/files/*", "region", "eu").timer().count()).isEqualTo(1);
		});
	}

	@Test
	void aTagTheHandlerAddsToItsObservationIsOnTheTimer() {
		runner().withUserConfiguration(TenantHandler.class).run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(send(port, "GET", "/tenant")).isEqualTo(200);
			await().untilAsserted(() -> assertThat(timerCount(registry, "tenant", "acme")).isEqualTo(1));
			// the convention's tags at stop did not replace the handler's
			assertThat(registry.get(NAME)
				.tags("uri", "/tenant", "status", "200", "outcome", "SUCCESS", "tenant", "acme")
				.timer()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void longTaskTimersFollowBootsIgnoredMeters() {
		runner().withPropertyValues("management.metrics.observations.ignored-meters=long-task-timer").run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(send(port, "GET", "/files/1")).isEqualTo(200);
			await().untilAsserted(() -> assertThat(timerCount(registry, "uri", "/files/*")).isEqualTo(1));
			assertThat(registry.find(NAME + ".active").longTaskTimer()).isNull();
		});
	}

	@Test
	void aMeterRemovedFromTheRegistryIsRegisteredAgainByTheNextRequest() {
		runner().run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(send(port, "GET", "/files/1")).isEqualTo(200);
			await().untilAsserted(() -> assertThat(timerCount(registry, "uri", "/files/*")).isEqualTo(1));
			registry.clear();
			assertThat(send(port, "GET", "/files/2")).isEqualTo(200);
			await().untilAsserted(() -> assertThat(timerCount(registry, "uri", "/files/*")).isEqualTo(1));
			assertThat(registry.find(NAME + ".active").longTaskTimer()).isNotNull();
		});
	}

	@Test
	void requestsBeyondTheCacheAreStillTimedAndTheCacheStaysBounded() {
		runner().run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			int methods = RequestMeters.MAX_CACHED + 50;
			for (int i = 0; i < methods; i++) {
				assertThat(send(port, "M" + i, "/files/" + i)).isEqualTo(200);
			}
			String lastMethod = "M" + (methods - 1);
			await().untilAsserted(() -> assertThat(timerCount(registry, "method", lastMethod)).isEqualTo(1));
			assertThat(registry.get(NAME + ".active").tags("method", lastMethod).longTaskTimer()).isNotNull();
			assertThat(context.getBean(RequestMeters.class).cachedSets()).isEqualTo(2 * RequestMeters.MAX_CACHED);
		});
	}

	@Test
	void withoutBootsMetricsThereAreNoRequestMeters() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, EvHttpAutoConfiguration.class))
			.withUserConfiguration(RequestObservationTests.Handlers.class)
			.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RequestMeters.class));
	}

	private static long timerCount(MeterRegistry registry, String tag, String value) {
		Timer timer = registry.find(NAME).tag(tag, value).timer();
		return (timer != null) ? timer.count() : 0;
	}

	private int send(int port, String method, String path) throws Exception {
		return this.client
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.method(method, HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	@Configuration(proxyBeanMethods = false)
	static class TenantHandler {

		@Bean
		Tenant tenant(ObservationRegistry registry) {
			return new Tenant(registry);
		}

	}

	/** Tags the request's observation, as an application may from its handler. */
	@EvUploadHandler(path = "/tenant")
	static class Tenant implements Handler {

		private final ObservationRegistry registry;

		Tenant(ObservationRegistry registry) {
			this.registry = registry;
		}

		@Override
		public void handle(Request request, Response response) {
			Observation current = this.registry.getCurrentObservation();
			if (current == null) {
				response.send(500, "text/plain", "no observation in scope".getBytes(StandardCharsets.US_ASCII));
				return;
			}
			current.lowCardinalityKeyValue("tenant", "acme");
			response.send("ok");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RegionFilter {

		@Bean
		ObservationFilter region() {
			return (context) -> context.addLowCardinalityKeyValue(KeyValue.of("region", "eu"));
		}

	}

}
