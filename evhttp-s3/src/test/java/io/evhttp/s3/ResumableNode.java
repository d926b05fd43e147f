package io.evhttp.s3;

import io.evhttp.resumable.ResumableEvents;
import io.evhttp.resumable.ResumableOptions;
import io.evhttp.resumable.ResumableUploads;
import io.evhttp.s3.test.S3ProxyServer;
import io.evhttp.server.EvServer;
import io.evhttp.server.ListenerConfig;
import io.evhttp.server.PortListener;
import io.evhttp.server.ServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One node of a resumable-upload deployment over S3Proxy: its own evhttp server,
 * {@link ResumableUploads} endpoint and {@link S3ResumableStore}, sharing the bucket with
 * the others.
 */
final class ResumableNode implements AutoCloseable {

	final S3Client client;

	final S3ResumableStore store;

	final ResumableUploads endpoint;

	final EvServer server;

	final PortListener listener;

	final Path spool;

	ResumableNode(S3ProxyServer s3proxy, String bucket, String prefix, UnaryOperator<S3ResumableStore.Builder> store,
			ResumableEvents events) throws IOException {
		this(s3proxy.endpoint(), bucket, prefix, store, events);
	}

	/** A node reaching S3 at {@code endpoint}: S3Proxy, or a front of it. */
	ResumableNode(URI endpoint, String bucket, String prefix, UnaryOperator<S3ResumableStore.Builder> store,
			ResumableEvents events) throws IOException {
		this.spool = Files.createTempDirectory("evhttp-resumable-spool-");
		this.client = StoreServer.storeClient(endpoint);
		this.store = store
			.apply(S3ResumableStore.builder(this.client, bucket)
				.prefix(prefix)
				.spoolDirectory(this.spool)
				.partSize(5 * S3Objects.MIB)
				.leaseDuration(Duration.ofSeconds(2))
				.pollInterval(Duration.ofMillis(100)))
			.build();
		this.endpoint = new ResumableUploads(ResumableOptions.defaults().withLeaseWait(Duration.ofSeconds(3)),
				this.store, events);
		this.server = new EvServer(ServerOptions.builder()
			.network((n) -> n.withEventLoops(2))
			.uploads((u) -> u.withTmpPath(this.spool))
			.build());
		this.listener = this.server.listen(ListenerConfig.of(0, this.endpoint)
			.withUploads(this.endpoint)
			.withAddress(new InetSocketAddress("127.0.0.1", 0)));
		this.server.start();
	}

	int port() {
		return this.listener.port();
	}

	String base() {
		return "http://127.0.0.1:" + port() + "/resumable/";
	}

	/** Objects and incomplete multipart uploads under {@code prefix}. */
	static List<String> leftovers(S3Client s3, String bucket, String prefix) {
		List<String> found = new ArrayList<>();
		s3.listObjectsV2Paginator((r) -> r.bucket(bucket).prefix(prefix))
			.contents()
			.stream()
			.map(S3Object::key)
			.forEach((key) -> found.add("object " + key.substring(prefix.length())));
		s3.listMultipartUploadsPaginator((r) -> r.bucket(bucket).prefix(prefix))
			.uploads()
			.stream()
			.map(MultipartUpload::key)
			.forEach((key) -> found.add("upload " + key.substring(prefix.length())));
		return found;
	}

	List<Path> spooled() throws IOException {
		try (var files = Files.list(this.spool)) {
			return files.toList();
		}
	}

	/**
	 * Stops at once, as a killed node would: S3 unreachable from it first (so it neither
	 * commits nor releases), then its connections closed and its heartbeats gone.
	 */
	void kill() {
		this.client.close();
		this.server.stop(Duration.ZERO);
		this.endpoint.close();
		this.store.close();
	}

	@Override
	public void close() {
		this.server.stop(Duration.ZERO);
		this.endpoint.close();
		this.store.close();
		this.client.close();
	}

}
