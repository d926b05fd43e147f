package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.spring.EvUploadHandler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

/**
 * The server follows its context: stopped and started again on the same port, its grace
 * period within Spring's phase timeout, streams ended when shutdown begins.
 */
class ServerLifecycleTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void stoppedContextServesAgainOnTheSamePortAfterEachStart() throws Exception {
		try (ConfigurableApplicationContext context = run()) {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			assertThat(get(port, "/up")).isEqualTo("up");
			for (int run = 0; run < 2; run++) {
				context.stop();
				assertThatThrownBy(() -> get(port, "/up")).isInstanceOf(ConnectException.class);
				context.start();
				assertThat(context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class))
					.isEqualTo(port);
				assertThat(get(port, "/up")).isEqualTo("up");
			}
		}
	}

	@Test
	void openEventStreamEndsWhenShutdownBeginsSoClosingDoesNotWaitForTheGracePeriod() throws Exception {
		ConfigurableApplicationContext context = run("--evhttp.shutdown.grace-period=10m",
				"--spring.lifecycle.timeout-per-shutdown-phase=10m");
		int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.getOutputStream()
				.write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
			String line;
			while (!(line = in.readLine()).contains("data: hello")) {
				// the head and the first chunk's size
			}
			CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
			// well within the ten minutes both settings allow
			closing.get(60, TimeUnit.SECONDS);
			StringBuilder rest = new StringBuilder();
			while ((line = in.readLine()) != null) {
				rest.append(line).append('\n');
			}
			assertThat(rest).contains("event: shutdown").endsWith("0\n\n");
		}
	}

	@Test
	void gracePeriodEndsBeforeSpringsPhaseTimeout() {
		EvHttpProperties properties = new EvHttpProperties();
		assertThat(ShutdownTimes.gracePeriod(properties, new MockEnvironment())).isEqualTo(Duration.ofSeconds(29));
		MockEnvironment shortPhase = new MockEnvironment().withProperty("spring.lifecycle.timeout-per-shutdown-phase",
				"5s");
		assertThat(ShutdownTimes.gracePeriod(properties, shortPhase)).isEqualTo(Duration.ofSeconds(4));
		properties.getShutdown().setGracePeriod(Duration.ofSeconds(2));
		assertThat(ShutdownTimes.gracePeriod(properties, new MockEnvironment())).isEqualTo(Duration.ofSeconds(2));
		MockEnvironment immediate = new MockEnvironment().withProperty("server.shutdown", "immediate");
		assertThat(ShutdownTimes.gracePeriod(properties, immediate)).isZero();
	}

	private static ConfigurableApplicationContext run(String... args) {
		SpringApplication application = new SpringApplication(App.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		String[] all = new String[args.length + 2];
		all[0] = "--evhttp.port=0";
		all[1] = "--evhttp.tmp-path=" + System.getProperty("java.io.tmpdir") + "/evhttp-lifecycle-tests";
		System.arraycopy(args, 0, all, 2, args.length);
		return application.run(all);
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
		Events events() {
			return new Events();
		}

	}

	@EvUploadHandler(path = "/up")
	static class Up implements Handler {

		@Override
		public void handle(Request request, Response response) {
			response.send("up");
		}

	}

	@EvUploadHandler(path = "/events")
	static class Events implements Handler {

		@Override
		public void handle(Request request, Response response) {
			response.contentType("text/event-stream");
			response.write("data: hello\n\n".getBytes(StandardCharsets.US_ASCII));
			response.onServerStopping(() -> {
				response.write("event: shutdown\ndata: bye\n\n".getBytes(StandardCharsets.US_ASCII));
				response.end();
			});
		}

	}

}
