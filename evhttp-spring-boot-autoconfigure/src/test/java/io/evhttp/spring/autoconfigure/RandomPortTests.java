package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.spring.EvUploadHandler;
import io.evhttp.spring.LocalEvHttpPort;
import io.evhttp.spring.event.EvListenerStartedEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * {@code RANDOM_PORT} moves evhttp off its fixed port as it moves Tomcat's; every
 * listener's port can be read by handler name, and its started event names its handlers.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "evhttp.tmp-path=${java.io.tmpdir}/evhttp-random-port-tests")
class RandomPortTests {

	@LocalEvHttpPort
	int port;

	@LocalServerPort
	int tomcatPort;

	@Value("${local.evhttp.port.admin}")
	int adminPort;

	@Autowired
	Started started;

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void evhttpTakesARandomPortBesideTomcatsAndNamesEachListenersHandlers() throws Exception {
		assertThat(this.port).isPositive().isNotEqualTo(8090).isNotEqualTo(this.tomcatPort);
		assertThat(this.adminPort).isPositive().isNotEqualTo(this.port);
		assertThat(get(this.port, "/files")).isEqualTo("files");
		assertThat(get(this.adminPort, "/admin")).isEqualTo("admin");
		assertThat(this.started.events).containsExactlyInAnyOrder(this.port + " [files]", this.adminPort + " [admin]");
	}

	private String get(int port, String path) throws Exception {
		return this.client
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		Files files() {
			return new Files();
		}

		@Bean
		Admin admin() {
			return new Admin();
		}

		@Bean
		Started started() {
			return new Started();
		}

	}

	static class Started {

		final List<String> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(EvListenerStartedEvent event) {
			this.events.add(event.port() + " " + event.handlers());
		}

	}

	@EvUploadHandler(path = "/files")
	static class Files implements Handler {

		@Override
		public void handle(Request request, Response response) {
			response.send("files");
		}

	}

	@EvUploadHandler(path = "/admin", port = "0")
	static class Admin implements Handler {

		@Override
		public void handle(Request request, Response response) {
			response.send("admin");
		}

	}

}
