package io.evhttp.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.spring.EvRoute;
import io.evhttp.spring.EvUploadHandler;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator served by evhttp itself in an application with no other web server: health
 * (503 when DOWN), Prometheus, metrics with a path variable, a write operation with a
 * JSON body, links, exposure, a management port of its own, and backing off beside a
 * servlet server.
 */
class ManagementEndpointsTests {

	@TempDir
	Path tmp;

	private final HttpClient client = HttpClient.newHttpClient();

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	private int start(String... properties) {
		this.context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("evhttp.port=0", "evhttp.tmp-path=" + this.tmp, "spring.main.banner-mode=off")
			.properties(properties)
			.run();
		return this.context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
	}

	@Test
	void healthIsServedOnTheEvhttpPortAndTurns503WhenDown() throws Exception {
		int port = start("management.endpoint.health.show-components=always");
		HttpResponse<String> up = get(port, "/actuator/health", "application/json");
		assertThat(up.statusCode()).isEqualTo(200);
		assertThat(up.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(up.body()).contains("\"status\":\"UP\"").contains("\"evhttp\"");
		this.context.getBean(App.class).down.set(true);
		HttpResponse<String> down = get(port, "/actuator/health", null);
		assertThat(down.statusCode()).isEqualTo(503);
		assertThat(down.headers().firstValue("Content-Type")).hasValue("application/vnd.spring-boot.actuator.v3+json");
		assertThat(down.body()).contains("\"status\":\"DOWN\"");
		assertThat(get(port, "/hello", null).body()).isEqualTo("hello");
	}

	@Test
	void prometheusAndMetricsAreServedWhenExposed() throws Exception {
		int port = start("management.endpoints.web.exposure.include=health,prometheus,metrics,loggers");
		get(port, "/hello", null);
		HttpResponse<String> scrape = get(port, "/actuator/prometheus", null);
		assertThat(scrape.statusCode()).isEqualTo(200);
		assertThat(scrape.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> type.startsWith("text/plain"));
		assertThat(scrape.body()).contains("evhttp_connections_active").contains("evhttp_requests_total");
		HttpResponse<String> metric = get(port, "/actuator/metrics/evhttp.requests", null);
		assertThat(metric.statusCode()).isEqualTo(200);
		assertThat(metric.body()).contains("\"name\":\"evhttp.requests\"");
		assertThat(get(port, "/actuator/metrics/no.such.meter", null).statusCode()).isEqualTo(404);
		HttpResponse<String> links = get(port, "/actuator", null);
		assertThat(links.body()).contains("\"_links\"")
			.contains("/actuator/prometheus")
			.doesNotContain("/actuator/env");
		assertThat(get(port, "/actuator/env", null).statusCode()).isEqualTo(404);
	}

	@Test
	void writeOperationsTakeAJsonBody() throws Exception {
		int port = start("management.endpoints.web.exposure.include=loggers");
		HttpResponse<String> set = this.client
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/loggers/io.evhttp.sample"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"configuredLevel\":\"DEBUG\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(set.statusCode()).isEqualTo(204);
		assertThat(get(port, "/actuator/loggers/io.evhttp.sample", null).body())
			.contains("\"configuredLevel\":\"DEBUG\"");
		HttpResponse<String> wrongMethod = this.client
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/loggers/io.evhttp.sample"))
				.DELETE()
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(wrongMethod.statusCode()).isEqualTo(405);
		assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET, POST");
	}

	@Test
	void aManagementPortOfItsOwnKeepsEndpointsOffTheUploadPort() throws Exception {
		int management;
		try (ServerSocket socket = new ServerSocket(0)) {
			management = socket.getLocalPort();
		}
		int port = start("management.server.port=" + management);
		assertThat(get(management, "/actuator/health", null).statusCode()).isEqualTo(200);
		assertThat(get(port, "/actuator/health", null).body()).isEqualTo("hello");
	}

	@Test
	void offWhenDisabledAndBesideAServletServer() throws Exception {
		int port = start("evhttp.management.enabled=false");
		assertThat(this.context.getBeansOfType(EvRoute.class)).isEmpty();
		assertThat(get(port, "/actuator/health", null).body()).isEqualTo("hello");
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EvHttpManagementAutoConfiguration.class))
			.run((servlet) -> assertThat(servlet).doesNotHaveBean(EvRoute.class));
	}

	private HttpResponse<String> get(int port, String path, String accept) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
		if (accept != null) {
			request.header("Accept", accept);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		final AtomicBoolean down = new AtomicBoolean();

		@Bean
		HealthIndicator switchable() {
			return () -> this.down.get() ? Health.down().build() : Health.up().build();
		}

		@Bean
		Hello hello() {
			return new Hello();
		}

	}

	@EvUploadHandler(path = "/**")
	static class Hello implements Handler {

		@Override
		public void handle(Request request, Response response) {
			response.send("hello");
		}

	}

}
