package io.evhttp.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.server.EvServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core-only echo answers the contract the bench checks, over a real socket. */
class CoreEchoTests {

	@TempDir
	Path dir;

	private EvServer server;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeEach
	void start() throws IOException {
		this.server = CoreEcho.start(0, this.dir);
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void answersHello() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/hello")).build());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
		assertThat(response.body()).isEqualTo("Hello, World!");
	}

	@Test
	void echoesAFormWithAFileAndItsDigestAndLeavesNoFile() throws Exception {
		String body = """
				--b\r
				Content-Disposition: form-data; name="a"\r
				\r
				1\r
				--b\r
				Content-Disposition: form-data; name="a"\r
				\r
				"two"\r
				--b\r
				Content-Disposition: form-data; name="f"; filename="x.txt"\r
				\r
				abc\r
				--b--\r
				""";
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/upload?sha256=1&q=v"))
			.header("Content-Type", "multipart/form-data; boundary=b")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"query\":{\"sha256\":[\"1\"],\"q\":[\"v\"]},"
				+ "\"fields\":{\"a\":[\"1\",\"\\\"two\\\"\"]},\"files\":[{\"field\":\"f\",\"filename\":\"x.txt\","
				+ "\"contentType\":\"text/plain\",\"size\":3,"
				+ "\"sha256\":\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"}]}");
		try (Stream<Path> left = Files.list(this.dir)) {
			assertThat(left).isEmpty();
		}
	}

	@Test
	void refusesAnotherBodyWith415() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/upload"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build());
		assertThat(response.statusCode()).isEqualTo(415);
	}

	private URI uri(String target) {
		return URI.create("http://127.0.0.1:" + this.server.listeners().get(0).port() + target);
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
