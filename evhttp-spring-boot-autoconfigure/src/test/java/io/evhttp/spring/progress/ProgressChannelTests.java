package io.evhttp.spring.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.spring.EvUploadHandler;
import io.evhttp.spring.autoconfigure.EvHttpAutoConfiguration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Each page sees its own upload's progress and nobody else's; ids that could be guessed
 * are refused; the channel is off unless enabled; streams end when the context closes.
 */
class ProgressChannelTests {

	@TempDir
	Path tmp;

	private final HttpClient client = HttpClient.newHttpClient();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EvHttpAutoConfiguration.class,
					ProgressChannelAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
			.withUserConfiguration(Uploads.class)
			.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0", "evhttp.events.progress-bytes=64KB",
					"evhttp.events.progress-interval=0s");
	}

	@Test
	void eachStreamCarriesOnlyTheUploadsWithItsId() {
		runner().withPropertyValues("evhttp.progress.enabled=true").run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			String mine = UUID.randomUUID().toString();
			String theirs = UUID.randomUUID().toString();
			Stream myStream = subscribe(port, mine);
			Stream theirStream = subscribe(port, theirs);
			await().until(() -> context.getBean(ProgressChannel.class).subscribers() == 2);
			assertThat(upload(port, mine, "mine \"1\".bin", 300_000)).isEqualTo(200);
			await().untilAsserted(() -> assertThat(myStream.lines).anyMatch((l) -> l.equals("event: received")));
			assertThat(myStream.lines).contains("event: opened", "event: progress")
				.anyMatch((l) -> l.startsWith("data: ") && l.contains("\"filename\":\"mine \\\"1\\\".bin\"")
						&& l.contains("\"bytes\":300000"));
			assertThat(upload(port, theirs, "theirs.bin", 1_000)).isEqualTo(200);
			await().untilAsserted(() -> assertThat(theirStream.lines).anyMatch((l) -> l.equals("event: received")));
			assertThat(theirStream.lines).filteredOn((l) -> l.startsWith("data: "))
				.allMatch((l) -> l.contains("theirs.bin"));
			assertThat(myStream.lines).noneMatch((l) -> l.contains("theirs.bin"));
			context.close();
			await().until(() -> myStream.ended && theirStream.ended);
		});
	}

	@Test
	void guessableIdsAreRefusedAndTheChannelIsOffByDefault() {
		runner().withPropertyValues("evhttp.progress.enabled=true").run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			assertThat(get(port, "/evhttp/progress/1").statusCode()).isEqualTo(400);
			assertThat(get(port, "/evhttp/progress/" + "a".repeat(15)).statusCode()).isEqualTo(400);
		});
		runner().run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			assertThat(context).doesNotHaveBean(ProgressChannel.class);
			assertThat(get(port, "/evhttp/progress/" + UUID.randomUUID()).body()).isEqualTo("upload handler");
		});
	}

	private HttpResponse<String> get(int port, String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private int upload(int port, String id, String filename, int size) throws Exception {
		String head = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"" + filename.replace("\"", "\\\"")
				+ "\"\r\n\r\n";
		byte[] body = new byte[head.length() + size + 8];
		System.arraycopy(head.getBytes(StandardCharsets.UTF_8), 0, body, 0, head.length());
		System.arraycopy("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII), 0, body, head.length() + size, 8);
		return this.client
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/upload?upload-id=" + id))
				.header("Content-Type", "multipart/form-data; boundary=b")
				.POST(HttpRequest.BodyPublishers.ofByteArray(body))
				.build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private Stream subscribe(int port, String id) {
		Stream stream = new Stream();
		this.client
			.sendAsync(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/evhttp/progress/" + id)).build(),
					HttpResponse.BodyHandlers.ofInputStream())
			.thenAccept((response) -> {
				try (BufferedReader reader = new BufferedReader(
						new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
					for (String line = reader.readLine(); line != null; line = reader.readLine()) {
						stream.lines.add(line);
					}
				}
				catch (Exception ex) {
					// the stream was cut: counts as ended
				}
				stream.ended = true;
			});
		return stream;
	}

	static final class Stream {

		final List<String> lines = new CopyOnWriteArrayList<>();

		volatile boolean ended;

	}

	@Configuration(proxyBeanMethods = false)
	static class Uploads {

		@Bean
		UploadHandler uploadHandler() {
			return new UploadHandler();
		}

	}

	@EvUploadHandler(path = "/**")
	static class UploadHandler implements Handler {

		@Override
		public void handle(Request request, Response response) {
			response.send("upload handler");
		}

	}

}
