package com.example.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.uploads.FileStore.Listed;
import com.example.uploads.FileStore.Stored;
import io.evhttp.spring.LocalEvHttpPort;
import io.evhttp.spring.event.EvUploadEvent;
import io.evhttp.spring.event.FileOpenedEvent;
import io.evhttp.spring.event.FileProgressEvent;
import io.evhttp.spring.event.FileReceivedEvent;
import io.evhttp.spring.event.MultipartStartedEvent;
import io.evhttp.spring.event.RequestCompletedEvent;
import io.evhttp.spring.event.UploadFailedEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
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
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service as a client sees it, on a random port. Each test uses file names of its
 * own: the application, its folder and its tmp-path are shared by all of them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "files.max-file-size=1KB")
class FileStoreTests {

	@TempDir
	static Path tmp;

	@DynamicPropertySource
	static void folders(DynamicPropertyRegistry registry) {
		registry.add("files.dir", () -> tmp.resolve("files").toString());
		registry.add("evhttp.tmp-path", () -> tmp.resolve("uploads").toString());
	}

	@LocalEvHttpPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	Events events;

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void uploadIsAnsweredWithNameSizeAndDigestAsJson() throws Exception {
		HttpResponse<String> response = upload("hello.txt", "hello");
		assertThat(response.statusCode()).isEqualTo(201);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.headers().firstValue("Location")).hasValue("/files/hello.txt");
		assertThat(this.json.readValue(response.body(), Stored.class))
			.isEqualTo(new Stored("hello.txt", 5, sha256("hello")));
		assertThat(tmp.resolve("files/hello.txt")).hasContent("hello");
	}

	@Test
	void storedFilesAreListedAndSentBack() throws Exception {
		upload("list-a.txt", "a");
		upload("list-b.csv", "b,b");
		HttpResponse<String> list = send("GET", "/files");
		assertThat(list.statusCode()).isEqualTo(200);
		assertThat(this.json.readValue(list.body(), new TypeReference<List<Listed>>() {
		})).contains(new Listed("list-a.txt", 1), new Listed("list-b.csv", 3));
		HttpResponse<String> file = send("GET", "/files/list-b.csv");
		assertThat(file.statusCode()).isEqualTo(200);
		assertThat(file.headers().firstValue("Content-Type")).hasValue("text/csv");
		assertThat(file.body()).isEqualTo("b,b");
	}

	@Test
	void deletedFileIsAnsweredWithTheProblemOfTheExceptionHandler() throws Exception {
		upload("gone.txt", "soon gone");
		assertThat(send("DELETE", "/files/gone.txt").statusCode()).isEqualTo(204);
		HttpResponse<String> response = send("GET", "/files/gone.txt");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = this.json.readTree(response.body());
		assertThat(problem.get("type").asString()).isEqualTo("/problems/no-such-file");
		assertThat(problem.get("detail").asString()).isEqualTo("no file named gone.txt");
		assertThat(problem.get("name").asString()).isEqualTo("gone.txt");
		assertThat(problem.get("instance").asString()).isEqualTo("/files/gone.txt");
		assertThat(send("DELETE", "/files/gone.txt").statusCode()).isEqualTo(404);
	}

	@Test
	void dotSegmentsNeverReachTheStore() throws Exception {
		HttpResponse<String> response = send("DELETE", "/files/%2e%2e");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(send("GET", "/files/.").statusCode()).isEqualTo(400);
		assertThat(tmp.resolve("files")).isDirectory();
	}

	@Test
	void aNameTakenIsAConflictAndKeepsTheFirstFile() throws Exception {
		upload("taken.txt", "first");
		HttpResponse<String> response = upload("taken.txt", "second");
		assertThat(response.statusCode()).isEqualTo(409);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = this.json.readTree(response.body());
		assertThat(problem.get("type").asString()).isEqualTo("/problems/name-taken");
		assertThat(problem.get("name").asString()).isEqualTo("taken.txt");
		// the folder's path stays on the server
		assertThat(response.body()).doesNotContain(tmp.toString());
		assertThat(tmp.resolve("files/taken.txt")).hasContent("first");
	}

	@Test
	void anotherMethodIs405WithTheMethodsAllowed() throws Exception {
		HttpResponse<String> response = send("PUT", "/files/any.txt");
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD, DELETE, OPTIONS");
		assertThat(send("PATCH", "/files").headers().firstValue("Allow")).hasValue("GET, HEAD, POST, OPTIONS");
	}

	@Test
	void aFileOverTheLimitIs413ProblemNamingTheLimit() throws Exception {
		HttpResponse<String> response = upload("big.bin", "x".repeat(2000));
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = this.json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(413);
		assertThat(problem.get("code").asString()).isEqualTo("file-too-large");
		assertThat(problem.get("limit").asLong()).isEqualTo(1024);
		List<EvUploadEvent> events = this.events.of("big.bin");
		assertThat(events).filteredOn(UploadFailedEvent.class::isInstance)
			.singleElement()
			.satisfies((failed) -> assertThat(((UploadFailedEvent) failed).code()).isEqualTo("file-too-large"));
		assertThat(events).last().isInstanceOf(RequestCompletedEvent.class);
		assertThat(tmp.resolve("files/big.bin")).doesNotExist();
	}

	@Test
	void uploadEventsArriveInOrderEndingWithRequestCompleted() throws Exception {
		upload("events.txt", "twelve bytes");
		List<EvUploadEvent> events = this.events.of("events.txt");
		// progress events come as often as evhttp.events.progress-* say: leave them out
		assertThat(events).filteredOn((event) -> !(event instanceof FileProgressEvent))
			.map(Object::getClass)
			.containsExactly(MultipartStartedEvent.class, FileOpenedEvent.class, FileReceivedEvent.class,
					RequestCompletedEvent.class);
		assertThat(events).filteredOn(FileReceivedEvent.class::isInstance).singleElement().satisfies((received) -> {
			assertThat(received.snapshot().bytes()).isEqualTo(12);
			assertThat(received.snapshot().route()).isEqualTo("/files/**");
			assertThat(received.snapshot().handler()).isEqualTo("fileStore");
		});
		assertThat(((RequestCompletedEvent) events.get(events.size() - 1)).status()).isEqualTo(201);
	}

	@Test
	void nothingIsLeftInTmpPath() throws Exception {
		assertThat(upload("kept.txt", "kept").statusCode()).isEqualTo(201);
		assertThat(upload("refused.bin", "x".repeat(2000)).statusCode()).isEqualTo(413);
		// a file in another field than "file" is not taken by the method
		assertThat(upload("other", "ignored.txt", "ignored").statusCode()).isEqualTo(400);
		this.events.of("kept.txt");
		this.events.of("refused.bin");
		this.events.of("ignored.txt");
		// these three are gone (files go before the last event); others' may be going
		await().untilAsserted(() -> {
			try (Stream<Path> left = Files.walk(tmp.resolve("uploads"))) {
				assertThat(left.filter(Files::isRegularFile)).isEmpty();
			}
		});
		assertThat(tmp.resolve("files/kept.txt")).hasContent("kept");
	}

	private HttpResponse<String> upload(String filename, String content) throws Exception {
		return upload("file", filename, content);
	}

	private HttpResponse<String> upload(String field, String filename, String content) throws Exception {
		String body = "--b\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename
				+ "\"\r\n\r\n" + content + "\r\n--b--\r\n";
		return this.client.send(request("/files").header("Content-Type", "multipart/form-data; boundary=b")
			.POST(BodyPublishers.ofString(body))
			.build(), BodyHandlers.ofString());
	}

	private HttpResponse<String> send(String method, String path) throws Exception {
		return this.client.send(request(path).method(method, BodyPublishers.noBody()).build(), BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
	}

	private static String sha256(String content) throws Exception {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		return HexFormat.of().formatHex(digest.digest(content.getBytes(StandardCharsets.UTF_8)));
	}

	@TestConfiguration
	static class Recording {

		@Bean
		Events events() {
			return new Events();
		}

	}

	/** Every upload event, by request. */
	static class Events {

		private final Map<Long, List<EvUploadEvent>> byRequest = new ConcurrentHashMap<>();

		@EventListener
		void on(EvUploadEvent event) {
			this.byRequest.computeIfAbsent(event.snapshot().requestId(), (id) -> new CopyOnWriteArrayList<>())
				.add(event);
		}

		/**
		 * The events of the request that sent {@code filename}, once its last one is in:
		 * they are published on another thread, after the answer.
		 */
		List<EvUploadEvent> of(String filename) {
			return await().until(() -> completed(filename), Optional::isPresent).get();
		}

		private Optional<List<EvUploadEvent>> completed(String filename) {
			return this.byRequest.values()
				.stream()
				.filter((events) -> events.stream()
					.anyMatch((event) -> event instanceof FileOpenedEvent
							&& filename.equals(event.snapshot().filename())))
				.filter((events) -> events.get(events.size() - 1) instanceof RequestCompletedEvent)
				.findFirst();
		}

	}

}
