package com.example.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.spring.LocalEvHttpPort;
import io.evhttp.spring.event.RequestCompletedEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The service as a client sees it, on a random port. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "uploads.max-file-size=1KB")
class UploadsTests {

	@TempDir
	static Path dir;

	@DynamicPropertySource
	static void uploadsDir(DynamicPropertyRegistry registry) {
		registry.add("uploads.dir", () -> dir.toString());
	}

	@LocalEvHttpPort
	int port;

	@Autowired
	Completed completed;

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void filesAreKeptAndListedAsJson() throws Exception {
		HttpResponse<String> response = post("hello.txt", "hello");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).contains("\"size\":5").contains("hello.txt");
		try (var kept = Files.list(dir)) {
			assertThat(kept).hasSize(1).allSatisfy((file) -> assertThat(Files.readString(file)).isEqualTo("hello"));
		}
		// events arrive on another thread: wait for the request's last one
		await().until(() -> this.completed.statuses.contains(200));
	}

	@Test
	void aFileOverTheLimitIsAProblemDocument() throws Exception {
		HttpResponse<String> response = post("big.bin", "x".repeat(2000));
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("\"code\":\"file-too-large\"").contains("\"limit\":1024");
	}

	private HttpResponse<String> post(String filename, String content) throws Exception {
		String body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n\r\n"
				+ content + "\r\n--b--\r\n";
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/uploads"))
			.header("Content-Type", "multipart/form-data; boundary=b")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@TestConfiguration
	static class Events {

		@Bean
		Completed completed() {
			return new Completed();
		}

	}

	static class Completed {

		final List<Integer> statuses = new CopyOnWriteArrayList<>();

		@EventListener
		void on(RequestCompletedEvent event) {
			this.statuses.add(event.status());
		}

	}

}
