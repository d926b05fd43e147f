package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.test.Wire;
import io.evhttp.http.HttpException;
import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.UploadListener;
import io.evhttp.spring.EvUploadHandler;
import io.evhttp.spring.event.UploadFailedEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * With {@code evhttp.problem-details.enabled}, a limit crossed mid-body, a refusal from
 * {@code onHead} and a handler's failure are answered with RFC 9457 documents, and the
 * failure event carries the same code and limit; without it, a text line as before.
 */
class ProblemDetailsTests {

	@TempDir
	Path tmp;

	private final HttpClient client = HttpClient.newHttpClient();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(EvHttpAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
			.withUserConfiguration(Handlers.class)
			.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0");
	}

	@Test
	void refusalsAndFailuresAreProblemDocuments() {
		runner().withPropertyValues("evhttp.problem-details.enabled=true").run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			HttpResponse<String> tooLarge = upload(port, "/small", 5_000);
			assertThat(tooLarge.statusCode()).isEqualTo(413);
			assertThat(tooLarge.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(tooLarge.body()).contains("\"type\":\"about:blank\"")
				.contains("\"title\":\"Content Too Large\"")
				.contains("\"status\":413")
				.contains("\"code\":\"file-too-large\"")
				.contains("\"limit\":1024")
				.contains("\"instance\":\"/small\"");
			Failures failures = context.getBean(Failures.class);
			await().untilAsserted(() -> assertThat(failures.seen).contains("413 file-too-large 1024"));

			HttpResponse<String> refused = upload(port, "/quota", 10);
			assertThat(refused.statusCode()).isEqualTo(403);
			assertThat(refused.body()).contains("\"status\":403").contains("\"detail\":\"quota \\\"used\\\" up\"");

			HttpResponse<String> failed = upload(port, "/boom", 10);
			assertThat(failed.statusCode()).isEqualTo(500);
			assertThat(failed.body()).contains("\"title\":\"Internal Server Error\"").doesNotContain("detail");
		});
	}

	@Test
	void aTypePrefixNamesTheCodeOfTheLimitCrossed() {
		runner()
			.withPropertyValues("evhttp.problem-details.enabled=true",
					"evhttp.problem-details.type-prefix=https://example.com/problems/")
			.run((context) -> {
				int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
				HttpResponse<String> tooLarge = upload(port, "/small", 5_000);
				assertThat(tooLarge.statusCode()).isEqualTo(413);
				assertThat(tooLarge.body()).contains("\"type\":\"https://example.com/problems/file-too-large\"");
				// a refusal without a code of the server's keeps about:blank
				HttpResponse<String> refused = upload(port, "/quota", 10);
				assertThat(refused.statusCode()).isEqualTo(403);
				assertThat(refused.body()).contains("\"type\":\"about:blank\"");
			});
	}

	@Test
	void aMalformedHeadIsAProblemDocumentToo() {
		runner().withPropertyValues("evhttp.problem-details.enabled=true").run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			try (Wire wire = new Wire(port)) {
				// no request exists yet: the refusal comes before routing
				Wire.Reply reply = wire.send("GET /small HTTP/1.1\nHost: x\nNo colon here", null).read();
				assertThat(reply.status()).isEqualTo(400);
				assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
				assertThat(reply.text()).contains("\"status\":400").contains("\"title\":\"Bad Request\"");
				assertThat(wire.closedByServer()).isTrue();
			}
			try (Wire next = new Wire(port)) {
				assertThat(next.send("GET /nowhere HTTP/1.1\nHost: x", null).read().status()).isEqualTo(404);
			}
		});
	}

	@Test
	void textAsBeforeWhenOff() {
		runner().run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			HttpResponse<String> tooLarge = upload(port, "/small", 5_000);
			assertThat(tooLarge.statusCode()).isEqualTo(413);
			assertThat(tooLarge.headers().firstValue("Content-Type")).hasValue("text/plain");
		});
	}

	private HttpResponse<String> upload(int port, String path, int size) throws Exception {
		String body = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n\r\n" + "x".repeat(size)
				+ "\r\n--b--\r\n";
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "multipart/form-data; boundary=b")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Bean
		Small small() {
			return new Small();
		}

		@Bean
		Quota quota() {
			return new Quota();
		}

		@Bean
		Boom boom() {
			return new Boom();
		}

		@Bean
		Failures failures() {
			return new Failures();
		}

	}

	@EvUploadHandler(path = "/small", maxFileSize = "1KB")
	static class Small implements Handler {

		@Override
		public void handle(Request request, Response response) {
			response.send("stored");
		}

	}

	@EvUploadHandler(path = "/quota")
	static class Quota implements Handler, UploadListener {

		@Override
		public void onHead(Request request) {
			throw new HttpException(403, "quota \"used\" up");
		}

		@Override
		public void handle(Request request, Response response) {
			response.send("never");
		}

	}

	@EvUploadHandler(path = "/boom")
	static class Boom implements Handler {

		@Override
		public void handle(Request request, Response response) {
			throw new IllegalStateException("secret internals");
		}

	}

	static class Failures {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@EventListener
		void on(UploadFailedEvent event) {
			this.seen.add(event.status() + " " + event.code() + " " + event.limit());
		}

	}

}
