package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.spring.EvUploadHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * evhttp alone in a non-web application, and beside Boot's own Tomcat in a web
 * application: the REST API on {@code server.port}, uploads on {@code evhttp.port}.
 */
class ServerDeploymentTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void isTheOnlyServerOfANonWebApplication() throws Exception {
		try (ConfigurableApplicationContext context = run(WebApplicationType.NONE)) {
			assertThat(context).isNotInstanceOf(WebServerApplicationContext.class);
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			assertThat(get(port, "/up")).isEqualTo("evhttp");
		}
	}

	@Test
	void runsBesideTomcatInAWebApplication() throws Exception {
		try (ConfigurableApplicationContext context = run(WebApplicationType.SERVLET)) {
			int tomcat = ((WebServerApplicationContext) context).getWebServer().getPort();
			int evhttp = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			assertThat(tomcat).isNotEqualTo(evhttp);
			assertThat(get(tomcat, "/api")).isEqualTo("tomcat");
			assertThat(get(evhttp, "/up")).isEqualTo("evhttp");
		}
	}

	private static ConfigurableApplicationContext run(WebApplicationType type) {
		SpringApplication application = new SpringApplication(App.class);
		application.setWebApplicationType(type);
		return application.run("--server.port=0", "--evhttp.port=0",
				"--evhttp.tmp-path=" + System.getProperty("java.io.tmpdir") + "/evhttp-deployment-tests");
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
		Up up() {
			return new Up();
		}

		@Bean
		Api api() {
			return new Api();
		}

	}

	@EvUploadHandler(path = "/up")
	static class Up implements Handler {

		@Override
		public void handle(Request request, Response response) {
			response.send("evhttp");
		}

	}

	@RestController
	static class Api {

		@GetMapping("/api")
		String api() {
			return "tomcat";
		}

	}

}
