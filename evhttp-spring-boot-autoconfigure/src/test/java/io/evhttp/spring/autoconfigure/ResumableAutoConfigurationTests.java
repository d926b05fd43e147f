package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.http.HttpException;
import io.evhttp.resumable.LocalResumableStore;
import io.evhttp.resumable.ResumableStore;
import io.evhttp.resumable.ResumableUploads;
import io.evhttp.s3.S3ResumableStore;
import io.evhttp.s3.test.S3ProxyExtension;
import io.evhttp.s3.test.S3ProxyServer;
import io.evhttp.spring.ResumableUploadGuard;
import io.evhttp.spring.event.ResumableUploadCompletedEvent;
import io.evhttp.spring.event.ResumableUploadEvent;
import io.evhttp.test.Wire;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * {@code evhttp.resumable.*}: the endpoint routed beside the handlers, real tus and draft
 * requests over a socket, its events, the creation guard, meters, the sweep, and the S3
 * store with {@code evhttp.storage.type=s3} against a real S3Proxy.
 */
class ResumableAutoConfigurationTests {

	private static final String BUCKET = "evhttp-resumable-autoconfigure";

	@RegisterExtension
	static final S3ProxyExtension s3proxy = new S3ProxyExtension();

	@TempDir
	Path tmp;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EvHttpAutoConfiguration.class))
		.withUserConfiguration(EvHttpAutoConfigurationTests.OneHandler.class, Recorder.class);

	@BeforeAll
	static void credentialsAndBucket() {
		System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
		System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
		s3proxy.server().createBucket(BUCKET);
	}

	@AfterAll
	static void clearCredentials() {
		System.clearProperty("aws.accessKeyId");
		System.clearProperty("aws.secretAccessKey");
	}

	private String[] local(String... more) {
		List<String> properties = new ArrayList<>(List.of("evhttp.tmp-path=" + this.tmp.resolve("tmp"), "evhttp.port=0",
				"evhttp.resumable.enabled=true", "evhttp.resumable.storage-path=" + this.tmp.resolve("resumable")));
		properties.addAll(List.of(more));
		return properties.toArray(String[]::new);
	}

	@Test
	void endpointIsOffByDefault() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0")
			.run((context) -> assertThat(context).doesNotHaveBean(ResumableUploads.class)
				.doesNotHaveBean(ResumableStore.class)
				.doesNotHaveBean(HandlerRoute.class));
	}

	@Test
	void endpointBacksOffWithoutItsModule() {
		this.runner.withPropertyValues(local())
			.withClassLoader(new FilteredClassLoader(ResumableUploads.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HandlerRoute.class));
	}

	@Test
	void propertiesBindIntoTheEndpointAndItsLocalStore() {
		this.runner
			.withPropertyValues(
					local("evhttp.resumable.path=/tus/", "evhttp.resumable.max-size=2MB", "evhttp.resumable.expiry=2h"))
			.run((context) -> {
				assertThat(context.getBean(LocalResumableStore.class).directory())
					.isEqualTo(this.tmp.resolve("resumable").toAbsolutePath());
				Wire.Reply options = exchange(context, "OPTIONS /tus/ HTTP/1.1\nHost: x\nTus-Resumable: 1.0.0", null);
				assertThat(options.status()).isEqualTo(204);
				assertThat(options.header("Tus-Max-Size")).isEqualTo(Long.toString(2 * 1024 * 1024));
				Wire.Reply created = create(context, "/tus/", 10);
				assertThat(created.header("Location")).contains("/tus/");
				assertThat(Duration.between(java.time.Instant.now(),
						java.time.ZonedDateTime
							.parse(created.header("Upload-Expires"),
									java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
							.toInstant()))
					.isBetween(Duration.ofMinutes(110), Duration.ofMinutes(121));
				Wire.Reply tooBig = exchange(context,
						"POST /tus/ HTTP/1.1\nHost: x\nTus-Resumable: 1.0.0\nUpload-Length: 3000000\nContent-Length: 0",
						null);
				assertThat(tooBig.status()).isEqualTo(413);
			});
	}

	@Test
	void tusUploadIsCreatedPatchedInspectedFetchedAndDeletedWithEventsAndMeters() {
		this.runner.withPropertyValues(local()).run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(ResumableMetrics.class).bindTo(registry);
			Recorder recorder = context.getBean(Recorder.class);
			byte[] bytes = "hello resumable world".getBytes(StandardCharsets.US_ASCII);
			String path = URI.create(create(context, "/resumable/", bytes.length).header("Location")).getPath();
			assertThat(patch(context, path, 0, bytes, 0, 5).status()).isEqualTo(204);
			Wire.Reply head = exchange(context, "HEAD " + path + " HTTP/1.1\nHost: x\nTus-Resumable: 1.0.0", null);
			assertThat(head.header("Upload-Offset")).isEqualTo("5");
			Wire.Reply last = patch(context, path, 5, bytes, 5, bytes.length);
			assertThat(last.header("Upload-Offset")).isEqualTo(Integer.toString(bytes.length));
			assertThat(exchange(context, "GET " + path + " HTTP/1.1\nHost: x", null).body()).isEqualTo(bytes);
			await().atMost(Duration.ofSeconds(5)).until(() -> recorder.names().contains("Completed"));
			assertThat(recorder.names()).containsExactly("Created", "Progress", "Progress", "Completed");
			ResumableUploadCompletedEvent done = (ResumableUploadCompletedEvent) recorder.events.get(3);
			assertThat(Files.readAllBytes(Path.of(done.location()))).isEqualTo(bytes);
			assertThat(done.upload().length()).isEqualTo(bytes.length);

			Wire.Reply deleted = exchange(context,
					"DELETE " + path + " HTTP/1.1\nHost: x\nTus-Resumable: 1.0.0\nContent-Length: 0", null);
			assertThat(deleted.status()).isEqualTo(204);
			await().atMost(Duration.ofSeconds(5)).until(() -> recorder.names().contains("Terminated"));
			assertThat(files(this.tmp.resolve("resumable"))).isEmpty();

			assertThat(registry.get("evhttp.resumable.uploads").tag("event", "created").counter().count()).isOne();
			assertThat(registry.get("evhttp.resumable.uploads").tag("event", "completed").counter().count()).isOne();
			assertThat(registry.get("evhttp.resumable.uploads").tag("event", "terminated").counter().count()).isOne();
			assertThat(registry.get("evhttp.resumable.bytes.received").counter().count()).isEqualTo(bytes.length);
			assertThat(registry.get("evhttp.resumable.lease.takeovers").functionCounter().count()).isZero();
			assertThat(registry.get("evhttp.resumable.store.requests").tag("operation", "create").timer().count())
				.isOne();
		});
	}

	@Test
	void draftCreationWithUploadCompletesInOneRequest() {
		this.runner.withPropertyValues(local()).run((context) -> {
			byte[] bytes = "all at once".getBytes(StandardCharsets.US_ASCII);
			try (Wire wire = new Wire(port(context))) {
				wire.send("POST /resumable/ HTTP/1.1\nHost: x\nUpload-Draft-Interop-Version: 8\nUpload-Complete: ?1\n"
						+ "Content-Length: " + bytes.length, bytes);
				Wire.Reply interim = wire.read();
				assertThat(interim.status()).isEqualTo(104);
				Wire.Reply done = wire.readFinal(false);
				assertThat(done.status()).isEqualTo(200);
				assertThat(done.header("Location")).isEqualTo(interim.header("Location"));
			}
			await().atMost(Duration.ofSeconds(5))
				.until(() -> context.getBean(Recorder.class).names().contains("Completed"));
		});
	}

	@Test
	void guardRefusesCreationBeforeAnythingIsStored() {
		this.runner.withPropertyValues(local()).withUserConfiguration(Quota.class).run((context) -> {
			Wire.Reply refused = exchange(context,
					"POST /resumable/ HTTP/1.1\nHost: x\nTus-Resumable: 1.0.0\nUpload-Length: 1000\nContent-Length: 0",
					null);
			assertThat(refused.status()).isEqualTo(413);
			assertThat(refused.text()).contains("over your quota of 100 bytes");
			assertThat(refused.header("Tus-Resumable")).isEqualTo("1.0.0");
			assertThat(create(context, "/resumable/", 100).status()).isEqualTo(201);
			assertThat(context.getBean(Recorder.class).names()).containsExactly("Created");
			assertThat(files(this.tmp.resolve("resumable"))).hasSize(2); // the allowed
																			// one's
		});
	}

	@Test
	void expiredUploadsAreSweptWhileTheServerRunsAndNotOnceItStops() {
		this.runner.withPropertyValues(local("evhttp.resumable.expiry=300ms", "evhttp.resumable.sweep-interval=100ms"))
			.run((context) -> {
				create(context, "/resumable/", 10);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> context.getBean(Recorder.class).names().contains("Expired"));
				assertThat(files(this.tmp.resolve("resumable"))).isEmpty();
				ResumableSweeper sweeper = context.getBean(ResumableSweeper.class);
				assertThat(sweeper.isRunning()).isTrue();
				context.getBean(EvServerLifecycle.class).stop();
				sweeper.stop();
				assertThat(sweeper.isRunning()).isFalse();
			});
	}

	@Test
	void typeS3KeepsResumableUploadsInTheBucket() {
		this.runner
			.withPropertyValues(local("evhttp.storage.type=s3", "evhttp.storage.s3.bucket=" + BUCKET,
					"evhttp.storage.s3.endpoint=" + s3proxy.server().endpoint(), "evhttp.storage.s3.path-style=true",
					"evhttp.storage.s3.region=us-east-1", "evhttp.storage.s3.prefix=plain/",
					"evhttp.resumable.s3.prefix=tus/",
					// S3Proxy's If-Match is not atomic: a lost release runs out within
					// the lease wait
					"evhttp.resumable.s3.lease-duration=2s"))
			.run((context) -> {
				S3ResumableStore store = context.getBean(S3ResumableStore.class);
				assertThat(store.bucket()).isEqualTo(BUCKET);
				assertThat(store.prefix()).isEqualTo("tus/");
				byte[] bytes = "into the bucket".getBytes(StandardCharsets.US_ASCII);
				String path = URI.create(create(context, "/resumable/", bytes.length).header("Location")).getPath();
				assertThat(patch(context, path, 0, bytes, 0, bytes.length).status()).isEqualTo(204);
				assertThat(exchange(context, "GET " + path + " HTTP/1.1\nHost: x", null).body()).isEqualTo(bytes);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> context.getBean(Recorder.class).names().contains("Completed"));
				ResumableUploadCompletedEvent done = (ResumableUploadCompletedEvent) context
					.getBean(Recorder.class).events.get(2);
				assertThat(done.location().getScheme()).isEqualTo("s3");
				assertThat(exchange(context,
						"DELETE " + path + " HTTP/1.1\nHost: x\nTus-Resumable: 1.0.0\nContent-Length: 0", null)
					.status()).isEqualTo(204);
				assertThat(
						s3proxy.server().newClient().listObjectsV2((r) -> r.bucket(BUCKET).prefix("tus/")).contents())
					.isEmpty();
			});
	}

	// ---- helpers

	private static int port(ApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.evhttp.port"));
	}

	private static Wire.Reply exchange(ApplicationContext context, String head, byte[] body) throws IOException {
		try (Wire wire = new Wire(port(context))) {
			return wire.send(head, body).readFinal(head.startsWith("HEAD "));
		}
	}

	private static Wire.Reply create(ApplicationContext context, String path, int length) throws IOException {
		Wire.Reply created = exchange(context, "POST " + path
				+ " HTTP/1.1\nHost: x\nTus-Resumable: 1.0.0\nUpload-Length: " + length + "\nContent-Length: 0", null);
		assertThat(created.status()).isEqualTo(201);
		return created;
	}

	private static Wire.Reply patch(ApplicationContext context, String path, long offset, byte[] bytes, int from,
			int to) throws IOException {
		return exchange(context,
				"PATCH " + path + " HTTP/1.1\nHost: x\nTus-Resumable: 1.0.0\nUpload-Offset: " + offset
						+ "\nContent-Type: application/offset+octet-stream\nContent-Length: " + (to - from),
				java.util.Arrays.copyOfRange(bytes, from, to));
	}

	private static List<Path> files(Path directory) throws IOException {
		try (Stream<Path> list = Files.list(directory)) {
			return list.toList();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Recorder {

		final List<ResumableUploadEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(ResumableUploadEvent event) {
			this.events.add(event);
		}

		List<String> names() {
			return this.events.stream()
				.map((e) -> e.getClass().getSimpleName().replace("ResumableUpload", "").replace("Event", ""))
				.toList();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Quota {

		@Bean
		ResumableUploadGuard quota() {
			return (request, upload) -> {
				if (upload.length() > 100) {
					throw new HttpException(413, "over your quota of 100 bytes");
				}
			};
		}

	}

}
