package io.evhttp.spring.method;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.spring.autoconfigure.EvHttpAutoConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The README's example stores an upload and serves it back, byte for byte. */
class FileStoreTests {

	@TempDir
	Path tmp;

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void storedFileIsServedBack() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(EvHttpAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
			.withBean(FileStore.class)
			.withPropertyValues("evhttp.tmp-path=" + this.tmp.resolve("uploads"), "evhttp.port=0",
					"files.dir=" + this.tmp.resolve("files"), "evhttp.problem-details.enabled=true")
			.run((context) -> {
				int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
				String body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"report 1.txt\"\r\n"
						+ "Content-Type: text/plain\r\n\r\nquarterly numbers\r\n--b--\r\n";
				HttpResponse<String> stored = this.client
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/files"))
						.header("Content-Type", "multipart/form-data; boundary=b")
						.POST(HttpRequest.BodyPublishers.ofString(body))
						.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(stored.statusCode()).isEqualTo(201);
				assertThat(stored.headers().firstValue("Location")).hasValue("/files/report%201.txt");
				assertThat(stored.body()).isEqualTo("{\"name\":\"report 1.txt\",\"size\":17}");

				HttpResponse<String> fetched = get(port, "/files/report%201.txt");
				assertThat(fetched.statusCode()).isEqualTo(200);
				assertThat(fetched.body()).isEqualTo("quarterly numbers");

				HttpResponse<String> outside = get(port, "/files/..");
				assertThat(outside.statusCode()).isEqualTo(400);
			});
	}

	private HttpResponse<String> get(int port, String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
