package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.spring.EvUploadHandler;
import io.evhttp.spring.Threading;
import io.evhttp.spring.event.EvListenerStartedEvent;
import io.evhttp.spring.event.EvUploadEvent;
import io.evhttp.spring.event.FileProgressEvent;
import io.evhttp.spring.event.RequestCompletedEvent;
import io.evhttp.spring.event.UploadFailedEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.test.annotation.DirtiesContext;

/** A whole application on port 0: real uploads through a socket to annotated handlers. */
@SpringBootTest(properties = { "evhttp.port=0", "evhttp.tmp-path=${java.io.tmpdir}/evhttp-app-tests",
		"evhttp.events.progress-bytes=64KB", "evhttp.events.progress-interval=1h", "evhttp.limits.file=1MB" })
@DirtiesContext
class EvHttpApplicationTests {

	@Value("${local.evhttp.port}")
	int port;

	@Value("${evhttp.tmp-path}")
	Path tmp;

	@Autowired
	Recorder recorder;

	@BeforeEach
	void clear() {
		this.recorder.routes.clear();
		this.recorder.events.clear();
	}

	@Test
	void uploadReachesTheHandlerOffTheEventLoopAndEventsArriveOnceInOrder() throws Exception {
		byte[] file = new byte[200_000];
		new java.util.Random(1).nextBytes(file);
		String reply = post("/upload", multipart(file));
		assertThat(reply).startsWith("HTTP/1.1 200").endsWith("200000 on evhttp-handler-or-task");
		// the request's last event: everything before it has arrived
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.recorder.events.stream().anyMatch((e) -> e.startsWith("RequestCompletedEvent")));
		List<String> all = List.copyOf(this.recorder.events);
		assertThat(all.get(all.size() - 1)).matches("RequestCompletedEvent 200 received 200\\d\\d\\d sent \\d+");
		List<String> events = all.subList(0, all.size() - 1);
		assertThat(events.subList(0, 2)).containsExactly("MultipartStartedEvent 0", "FileOpenedEvent 0");
		assertThat(events.subList(events.size() - 2, events.size())).containsExactly("FileProgressEvent 200000",
				"FileReceivedEvent 200000");
		List<Long> progress = events.subList(2, events.size() - 1)
			.stream()
			.map((e) -> Long.parseLong(e.substring("FileProgressEvent ".length())))
			.toList();
		for (int i = 1; i < progress.size() - 1; i++) {
			// throttled: at least 64 KiB between two progress events, except the final
			// one
			assertThat(progress.get(i) - progress.get(i - 1)).isGreaterThanOrEqualTo(65536);
		}
		assertThat(progress).isSorted().doesNotHaveDuplicates();
		assertThat(this.recorder.threads).noneMatch((name) -> name.startsWith("evhttp-loop"));
		assertThat(this.recorder.routes).containsOnly("/upload uploadHandler");
		awaitTmpEmpty();
	}

	@Test
	void failedUploadPublishesTheFailureAndLeavesNoFile() throws Exception {
		String reply = post("/upload", multipart(new byte[2_000_000]));
		assertThat(reply).startsWith("HTTP/1.1 413");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.recorder.events.stream().anyMatch((e) -> e.startsWith("UploadFailedEvent 413")));
		awaitTmpEmpty();
	}

	@Test
	void handlerWithEventsOffPublishesNone() throws Exception {
		assertThat(post("/quiet", multipart(new byte[100_000]))).endsWith("quiet 100000");
		assertThat(post("/loop", multipart(new byte[10]))).endsWith("evhttp-loop");
		// events of the later /loop upload arrived, none of /quiet's
		await().atMost(Duration.ofSeconds(10)).until(() -> this.recorder.events.contains("FileReceivedEvent 10"));
		assertThat(this.recorder.events).noneMatch((e) -> e.endsWith(" 100000"));
	}

	@Test
	void handlerTimeoutAppliesToItsUploads() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("POST /quiet HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XyZ\r\n"
						+ "Content-Length: 1000\r\n\r\n--XyZ\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			assertThat(response).startsWith("HTTP/1.1 408");
		}
		awaitTmpEmpty();
	}

	@Test
	void eventLoopHandlerAnswersOnTheLoop() throws Exception {
		assertThat(post("/loop", multipart(new byte[10]))).endsWith("evhttp-loop");
	}

	@Test
	void unmatchedPathGets404BeforeTheBody() throws Exception {
		assertThat(post("/nowhere", multipart(new byte[10]))).startsWith("HTTP/1.1 404");
	}

	@Test
	void listenerStartedEventAnnouncedThePort() {
		assertThat(this.recorder.startedPorts).contains(this.port);
	}

	private void awaitTmpEmpty() {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			try (Stream<Path> files = Files.list(this.tmp)) {
				assertThat(files).isEmpty();
			}
		});
	}

	private String post(String path, byte[] body) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			String head = "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
					+ "multipart/form-data; boundary=XyZ\r\nContent-Length: " + body.length + "\r\n\r\n";
			socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
			try {
				socket.getOutputStream().write(body);
			}
			catch (IOException ex) {
				// refused early: the answer is already there
			}
			InputStream in = socket.getInputStream();
			String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			return response.substring(0, response.indexOf("\r\n")) + "|"
					+ response.substring(response.indexOf("\r\n\r\n") + 4);
		}
	}

	private static byte[] multipart(byte[] file) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.bin\"\r\n\r\n"
			.getBytes(StandardCharsets.US_ASCII));
		out.writeBytes(file);
		out.writeBytes("\r\n--XyZ--\r\n".getBytes(StandardCharsets.US_ASCII));
		return out.toByteArray();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TaskExecutionAutoConfiguration.class, EvHttpAutoConfiguration.class })
	static class App {

		@Bean
		UploadHandler uploadHandler() {
			return new UploadHandler();
		}

		@Bean
		LoopHandler loopHandler() {
			return new LoopHandler();
		}

		@Bean
		QuietHandler quietHandler() {
			return new QuietHandler();
		}

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

	}

	@EvUploadHandler(path = "/upload")
	static class UploadHandler implements Handler {

		@Override
		public void handle(Request request, Response response) {
			String thread = Thread.currentThread().getName();
			response.send(request.files().get(0).size() + " on "
					+ (thread.startsWith("evhttp-loop") ? thread : "evhttp-handler-or-task"));
		}

	}

	@EvUploadHandler(path = "/loop", threading = Threading.EVENT_LOOP)
	static class LoopHandler implements Handler {

		@Override
		public void handle(Request request, Response response) {
			response.send(Thread.currentThread().getName().replaceAll("-\\d+$", ""));
		}

	}

	@EvUploadHandler(path = "/quiet", events = false, timeout = "${test.quiet-timeout:300ms}")
	static class QuietHandler implements Handler {

		@Override
		public void handle(Request request, Response response) {
			response.send("quiet " + request.files().get(0).size());
		}

	}

	static class Recorder {

		final List<String> events = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		final List<Integer> startedPorts = new CopyOnWriteArrayList<>();

		final List<String> routes = new CopyOnWriteArrayList<>();

		@EventListener
		void on(EvUploadEvent event) {
			this.threads.add(Thread.currentThread().getName());
			this.routes.add(event.snapshot().route() + " " + event.snapshot().handler());
			if (event instanceof RequestCompletedEvent completed) {
				this.events.add("RequestCompletedEvent " + completed.status() + " received " + completed.bytesReceived()
						+ " sent " + completed.bytesSent());
				return;
			}
			String extra = (event instanceof UploadFailedEvent failed) ? " " + failed.status() : "";
			long bytes = (event instanceof FileProgressEvent || extra.isEmpty()) ? event.snapshot().bytes() : 0;
			this.events.add(event.getClass().getSimpleName() + extra + (extra.isEmpty() ? " " + bytes : ""));
		}

		@EventListener
		void on(EvListenerStartedEvent event) {
			this.startedPorts.add(event.port());
		}

	}

}
