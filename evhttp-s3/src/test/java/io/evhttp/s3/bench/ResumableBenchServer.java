package io.evhttp.s3.bench;

import io.evhttp.resumable.LocalResumableStore;
import io.evhttp.resumable.ResumableEvents;
import io.evhttp.resumable.ResumableOptions;
import io.evhttp.resumable.ResumableStore;
import io.evhttp.resumable.ResumableUploads;
import io.evhttp.s3.S3ResumableStore;
import io.evhttp.s3.S3UploadStore;
import io.evhttp.server.EvServer;
import io.evhttp.server.ListenerConfig;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.ServerOptions;
import io.evhttp.server.UploadedFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The evhttp side of {@code scripts/bench-resumable.sh}: one server with the resumable
 * endpoint under {@code /resumable/} and, on every other path, a plain upload (multipart
 * or raw) whose files are removed once answered, both on the same store, so a tus upload
 * and a plain one of the same bytes are measured in one process.
 *
 * <pre>
 * ResumableBenchServer PORT DIR local
 * ResumableBenchServer PORT DIR s3 ENDPOINT BUCKET PREFIX
 * </pre>
 *
 * DIR holds the local store (or the S3 spool) and the plain uploads' files. The S3 stores
 * run with their defaults; {@code -Dbench.leaseSeconds=N} shortens the S3 lease for the
 * dead-holder measurement. Prints {@code READY} once listening.
 */
public final class ResumableBenchServer {

	private ResumableBenchServer() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		Path dir = Path.of(args[1]);
		Path files = Files.createDirectories(dir.resolve("files"));
		Path spool = Files.createDirectories(dir.resolve("spool"));
		ServerOptions options = ServerOptions.builder().uploads((u) -> u.withTmpPath(files)).build();
		ResumableStore store;
		EvServer server;
		if (args[2].equals("s3")) {
			S3Client client = client(URI.create(args[3]));
			String bucket = args[4];
			String prefix = args[5];
			S3ResumableStore.Builder builder = S3ResumableStore.builder(client, bucket)
				.prefix(prefix + "resumable/")
				.spoolDirectory(spool);
			Long leaseSeconds = Long.getLong("bench.leaseSeconds");
			if (leaseSeconds != null) {
				builder.leaseDuration(Duration.ofSeconds(leaseSeconds));
			}
			store = builder.build();
			server = new EvServer(options,
					S3UploadStore.builder(client, bucket).prefix(prefix + "plain/").spoolDirectory(spool).build());
		}
		else {
			store = new LocalResumableStore(Files.createDirectories(dir.resolve("resumable")));
			server = new EvServer(options);
		}
		ResumableUploads resumable = new ResumableUploads(ResumableOptions.defaults(), store, ResumableEvents.NONE);
		ExecutorService handlers = Executors.newCachedThreadPool();
		server.listen(new ListenerConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
				(request, response) -> {
					if (resumable.matches(request)) {
						resumable.handle(request, response);
					}
					else {
						plain(request, response);
					}
				}, resumable, handlers));
		server.start();
		System.out.println("READY " + ProcessHandle.current().pid());
		Thread.currentThread().join();
	}

	/** The sizes of the files received, one a line; the files go once answered. */
	private static void plain(Request request, Response response) {
		StringBuilder sizes = new StringBuilder();
		for (UploadedFile file : request.files()) {
			sizes.append(file.size()).append('\n');
		}
		if (request.body() != null) {
			sizes.append(request.body().size()).append('\n');
		}
		response.send(200, "text/plain", sizes.toString().getBytes(StandardCharsets.US_ASCII));
	}

	private static S3Client client(URI endpoint) {
		return S3Client.builder()
			.endpointOverride(endpoint)
			.forcePathStyle(true)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
			.httpClientBuilder(Apache5HttpClient.builder().maxConnections(64))
			.overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD).build())
			.build();
	}

}
