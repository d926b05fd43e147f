package io.evhttp.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The demo has no server but evhttp: its health and Prometheus endpoints are served on
 * the upload port, and only what {@code management.endpoints.web.exposure.include} names.
 */
@SpringBootTest(properties = { "evhttp.port=0", "evhttp.tmp-path=${java.io.tmpdir}/evhttp-actuator-tests" })
class ActuatorTests {

	@Value("${local.evhttp.port}")
	int port;

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void healthShowsTheServerUp() throws Exception {
		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<String>read(health.body(), "$.status")).isEqualTo("UP");
		assertThat(JsonPath.<String>read(health.body(), "$.components.evhttp.status")).isEqualTo("UP");
	}

	@Test
	void prometheusScrapesTheServersMeters() throws Exception {
		get("/");
		HttpResponse<String> scrape = get("/actuator/prometheus");
		assertThat(scrape.statusCode()).isEqualTo(200);
		assertThat(scrape.body()).contains("evhttp_connections_active")
			.contains("evhttp_requests_rejected_total{status=\"413\"}")
			.contains("http_server_requests_seconds_count");
	}

	@Test
	void endpointsNotExposedAreNotFound() throws Exception {
		assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
		assertThat(get("/actuator/beans").statusCode()).isEqualTo(404);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
