package io.evhttp.s3;

import io.evhttp.s3.test.S3ProxyServer;
import io.evhttp.server.EvServer;
import io.evhttp.server.ListenerConfig;
import io.evhttp.server.PortListener;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.ServerOptions;
import io.evhttp.server.UploadListener;
import io.evhttp.server.UploadedFile;
import io.evhttp.upload.DigestAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An evhttp server storing into S3Proxy through an {@link S3UploadStore}, with a handler
 * that answers one line per file ({@code field size sha256 key}) and keeps files when
 * asked ({@code ?keep}, {@code ?keepAs=KEY}).
 */
final class StoreServer implements AutoCloseable {

	final S3ProxyServer s3proxy;

	final String bucket;

	final String prefix;

	final Path tmp;

	/** The store's client. */
	final S3Client client;

	/** A client of S3Proxy itself, past any front: for the test's own checks. */
	final S3Client direct;

	final S3UploadStore store;

	final EvServer server;

	final PortListener listener;

	private final ExecutorService handlers = Executors.newCachedThreadPool();

	StoreServer(S3ProxyServer s3proxy, String bucket, String prefix, UnaryOperator<S3UploadStore.Builder> store,
			UnaryOperator<ServerOptions.Builder> options, UploadListener uploads) throws IOException {
		this(s3proxy, s3proxy.endpoint(), bucket, prefix, store, options, uploads);
	}

	/** A server whose store reaches S3Proxy at {@code endpoint} (a front in between). */
	StoreServer(S3ProxyServer s3proxy, URI endpoint, String bucket, String prefix,
			UnaryOperator<S3UploadStore.Builder> store, UnaryOperator<ServerOptions.Builder> options,
			UploadListener uploads) throws IOException {
		this.s3proxy = s3proxy;
		this.bucket = bucket;
		this.prefix = prefix;
		this.tmp = Files.createTempDirectory("evhttp-s3-spool-");
		this.client = storeClient(endpoint);
		this.direct = s3proxy.newClient();
		this.store = store
			.apply(S3UploadStore.builder(this.client, bucket)
				.prefix(prefix)
				.spoolDirectory(this.tmp)
				.sweepInterval(Duration.ZERO)
				.sweepAge(Duration.ofDays(1))
				.retryAfter(Duration.ofSeconds(7)))
			.build();
		this.server = new EvServer(options
			.apply(ServerOptions.builder()
				.network((n) -> n.withEventLoops(2))
				.uploads((u) -> u.withTmpPath(this.tmp).withDigest(DigestAlgorithm.SHA_256)))
			.build(), this.store);
		this.listener = this.server.listen(new ListenerConfig(
				new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), this::handle, uploads, this.handlers));
		this.server.start();
	}

	/** The S3 client a deployment would give the store: Apache 5, bounded retries. */
	static S3Client storeClient(URI endpoint) {
		return S3Client.builder()
			.endpointOverride(endpoint)
			.forcePathStyle(true)
			.region(S3ProxyServer.REGION)
			.credentialsProvider(StaticCredentialsProvider
				.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
			.httpClientBuilder(Apache5HttpClient.builder()
				.maxConnections(16)
				.connectionTimeout(Duration.ofSeconds(2))
				.socketTimeout(Duration.ofSeconds(30)))
			.overrideConfiguration(ClientOverrideConfiguration.builder()
				.retryStrategy(RetryMode.STANDARD)
				.apiCallAttemptTimeout(Duration.ofSeconds(30))
				.build())
			.build();
	}

	int port() {
		return this.listener.port();
	}

	private void handle(Request request, Response response) throws IOException {
		List<UploadedFile> files = new ArrayList<>(request.files());
		if (request.body() != null) {
			files.add(request.body());
		}
		StringBuilder lines = new StringBuilder();
		for (UploadedFile file : files) {
			if (request.queryParam("keep") != null) {
				file.keep();
			}
			String keepAs = request.queryParam("keepAs");
			if (keepAs != null) {
				file.keepAs(keepAs);
			}
			lines.append(file.field())
				.append(' ')
				.append(file.size())
				.append(' ')
				.append(file.digestHex())
				.append(' ')
				.append(file.storeAttributes().get("key"))
				.append('\n');
		}
		response.send(200, "text/plain", lines.toString().getBytes());
	}

	/**
	 * Objects and incomplete multipart uploads under the prefix, as "object KEY" lines.
	 */
	List<String> leftovers() {
		List<String> found = new ArrayList<>();
		this.direct.listObjectsV2Paginator((r) -> r.bucket(this.bucket).prefix(this.prefix))
			.contents()
			.stream()
			.map(S3Object::key)
			.forEach((key) -> found.add("object " + key));
		this.direct.listMultipartUploadsPaginator((r) -> r.bucket(this.bucket).prefix(this.prefix))
			.uploads()
			.stream()
			.map(MultipartUpload::key)
			.forEach((key) -> found.add("upload " + key));
		return found;
	}

	/** Files left in the spool directory. */
	List<Path> spooled() {
		try (Stream<Path> files = Files.list(this.tmp)) {
			return files.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.server.stop(Duration.ofSeconds(5));
		this.store.close();
		this.client.close();
		this.direct.close();
		this.handlers.shutdownNow();
	}

}
