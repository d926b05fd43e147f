package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import io.evhttp.s3.S3UploadStore;
import io.evhttp.s3.test.S3ProxyExtension;
import io.evhttp.s3.test.S3ProxyServer;
import io.evhttp.server.EvServer;
import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.UploadedFile;
import io.evhttp.spring.EvUploadHandler;
import io.evhttp.upload.LocalDiskStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code evhttp.storage.type=s3} against a real S3Proxy: the store bean and the server
 * using it, the application's own client, the settings that fail startup, a handler
 * naming its own store, and the health of the bucket.
 */
class S3StorageAutoConfigurationTests {

	private static final String BUCKET = "evhttp-autoconfigure";

	@RegisterExtension
	static final S3ProxyExtension s3proxy = new S3ProxyExtension();

	@TempDir
	Path tmp;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EvHttpAutoConfiguration.class));

	/** The AWS SDK's default provider chain reads these system properties first. */
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

	private String[] s3(String... more) {
		List<String> properties = new ArrayList<>(List.of("evhttp.tmp-path=" + this.tmp, "evhttp.port=0",
				"evhttp.storage.type=s3", "evhttp.storage.s3.bucket=" + BUCKET, "evhttp.storage.s3.prefix=auto/",
				"evhttp.storage.s3.endpoint=" + s3proxy.server().endpoint(), "evhttp.storage.s3.path-style=true",
				"evhttp.storage.s3.region=us-east-1"));
		properties.addAll(List.of(more));
		return properties.toArray(String[]::new);
	}

	@Test
	void typeS3GivesAnS3StoreThatTheServerStoresUploadsIn() {
		this.runner.withPropertyValues(s3("evhttp.storage.s3.part-size=6MB", "evhttp.storage.s3.max-parts-in-flight=2"))
			.run((context) -> {
				assertThat(context).hasSingleBean(S3UploadStore.class).hasSingleBean(S3Client.class);
				S3UploadStore store = context.getBean(EvHttpAutoConfiguration.SERVER_STORE, S3UploadStore.class);
				assertThat(store.bucket()).isEqualTo(BUCKET);
				assertThat(store.prefix()).isEqualTo("auto/");
				assertThat(store.partSize()).isEqualTo(6 * 1024 * 1024);
				assertThat(context.getBean(EvServer.class).store()).isSameAs(store);
			});
	}

	@Test
	void builtClientIsClosedWithTheContext() {
		AtomicReference<S3Client> built = new AtomicReference<>();
		this.runner.withPropertyValues(s3()).run((context) -> {
			built.set(context.getBean(S3Client.class));
			built.get().headBucket((r) -> r.bucket(BUCKET));
		});
		assertThatIllegalStateException().isThrownBy(() -> built.get().headBucket((r) -> r.bucket(BUCKET)));
	}

	@Test
	void localIsTheDefault() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp).run((context) -> {
			assertThat(context).doesNotHaveBean(S3UploadStore.class).doesNotHaveBean(S3Client.class);
			assertThat(context.getBean(EvServer.class).store()).isInstanceOf(LocalDiskStore.class);
		});
	}

	@Test
	void withoutTheS3ModuleTheServerStoresLocally() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp)
			.withClassLoader(new FilteredClassLoader(S3UploadStore.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(S3UploadStore.class);
				assertThat(context.getBean(EvServer.class).store()).isInstanceOf(LocalDiskStore.class);
			});
	}

	@Test
	void typeS3WithoutTheS3ModuleFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues(s3())
			.withClassLoader(new FilteredClassLoader(S3UploadStore.class))
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("evhttp.storage.type is s3 but evhttp-s3 is not on the classpath"));
	}

	@Test
	void applicationsOwnS3ClientIsUsed() {
		this.runner.withPropertyValues(s3()).withUserConfiguration(OwnClient.class).run((context) -> {
			assertThat(context).hasSingleBean(S3Client.class).doesNotHaveBean("evHttpS3Client");
			assertThat(context.getBean(S3UploadStore.class).client()).isSameAs(context.getBean("ownS3Client"));
		});
	}

	@Test
	void missingBucketPropertyFailsStartupNamingIt() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.storage.type=s3").run((context) -> {
			FailureAnalysis analysis = analysis(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.contains("evhttp.storage.type is s3 but evhttp.storage.s3.bucket is not set");
			assertThat(analysis.getAction()).contains("evhttp.storage.s3.bucket");
		});
	}

	@Test
	void noRegionFailsStartupNamingTheProperty() {
		Assumptions.assumeTrue(System.getenv("AWS_REGION") == null && System.getProperty("aws.region") == null,
				"a region is set in the environment");
		this.runner.withPropertyValues(s3("evhttp.storage.s3.region=")).run((context) -> {
			FailureAnalysis analysis = analysis(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("evhttp.storage.s3.region");
			assertThat(analysis.getAction()).contains("evhttp.storage.s3.region");
		});
	}

	@Test
	void bucketThatDoesNotExistFailsStartupNamingIt() {
		this.runner.withPropertyValues(s3("evhttp.storage.s3.bucket=no-such-bucket")).run((context) -> {
			FailureAnalysis analysis = analysis(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("bucket 'no-such-bucket' (evhttp.storage.s3.bucket)")
				.contains(s3proxy.server().endpoint().toString())
				.contains("404");
			assertThat(analysis.getAction()).contains("Create the bucket");
		});
	}

	@Test
	void unreachableS3FailsStartupWithinSeconds() throws IOException {
		int closedPort;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		long start = System.nanoTime();
		this.runner.withPropertyValues(s3("evhttp.storage.s3.endpoint=http://127.0.0.1:" + closedPort))
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("cannot be reached at http://127.0.0.1:" + closedPort));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
	}

	@Test
	void partSizeUnder5MiBFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues(s3("evhttp.storage.s3.part-size=4MB"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("evhttp.storage.s3.part-size")
				.hasMessageContaining("5 MiB"));
	}

	@Test
	void handlerNamingAStoreHasItsFilesThereAndTheOthersInTheServersStore() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0", "evhttp.address=127.0.0.1")
			.withUserConfiguration(PerHandlerStores.class)
			.run((context) -> {
				int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
				assertThat(post(port, "/bucket")).endsWith("s3://" + BUCKET + "/handler/");
				assertThat(post(port, "/local")).startsWith("file:").endsWith(this.tmp.toUri().getPath());
				S3Client client = s3proxy.client();
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					assertThat(client.listObjectsV2((r) -> r.bucket(BUCKET).prefix("handler/")).contents()).isEmpty();
					try (Stream<Path> files = Files.list(this.tmp)) {
						assertThat(files).isEmpty();
					}
				});
			});
	}

	@Test
	void handlerNamingAStoreThatIsNoneFailsStartupNamingBoth() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0")
			.withUserConfiguration(MissingStore.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("'missingStoreHandler'")
				.hasMessageContaining("'nowhere'"));
	}

	@Test
	void healthIsDownWhileS3IsStoppedAndUpOnceItIsBack() {
		this.runner.withPropertyValues(s3())
			.withUserConfiguration(EvHttpAutoConfigurationTests.OneHandler.class)
			.run((context) -> {
				EvHttpHealthIndicator health = context.getBean(EvHttpHealthIndicator.class);
				assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
				S3ProxyServer server = s3proxy.server();
				server.stop();
				try {
					await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
						Health down = health.health(true);
						assertThat(down.getStatus()).isEqualTo(Status.DOWN);
						assertThat((String) down.getDetails().get("storeError")).contains("S3 unreachable");
					});
				}
				finally {
					server.start();
				}
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(health.health(true).getStatus()).isEqualTo(Status.UP));
			});
	}

	private static FailureAnalysis analysis(Throwable failure) {
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = new EvHttpFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		return analysis;
	}

	/** Posts one small file; answers the body: where the handler saw it. */
	private static String post(int port, String path) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.bin\"\r\n\r\n"
				+ "x".repeat(10_000) + "\r\n--XyZ--\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
						+ "Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: " + body.size()
						+ "\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().write(body.toByteArray());
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(response).startsWith("HTTP/1.1 200");
			return response.substring(response.indexOf("\r\n\r\n") + 4);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnClient {

		@Bean
		S3Client ownS3Client() {
			return s3proxy.server().newClient();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PerHandlerStores {

		@Bean(destroyMethod = "close")
		S3UploadStore bucketStore() {
			return S3UploadStore.builder(s3proxy.client(), BUCKET)
				.prefix("handler/")
				.spoolDirectory(Path.of(System.getProperty("java.io.tmpdir"), "evhttp-handler-spool"))
				.build();
		}

		@Bean
		Where bucketHandler() {
			return new Where();
		}

		@Bean
		LocalWhere localHandler() {
			return new LocalWhere();
		}

	}

	/** Answers where the file was stored, up to its random name. */
	@EvUploadHandler(path = "/bucket", store = "bucketStore")
	static class Where implements Handler {

		@Override
		public void handle(Request request, Response response) {
			UploadedFile file = request.files().get(0);
			String location = file.location().toString();
			response.send(location.substring(0, location.lastIndexOf('/') + 1));
		}

	}

	@EvUploadHandler(path = "/local")
	static class LocalWhere extends Where {

	}

	@Configuration(proxyBeanMethods = false)
	static class MissingStore {

		@Bean
		UploadStoreless missingStoreHandler() {
			return new UploadStoreless();
		}

	}

	@EvUploadHandler(path = "/x", store = "nowhere")
	static class UploadStoreless implements Handler {

		@Override
		public void handle(Request request, Response response) {
			response.send("never");
		}

	}

}
