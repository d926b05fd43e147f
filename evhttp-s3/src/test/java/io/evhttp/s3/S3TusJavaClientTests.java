package io.evhttp.s3;

import static io.evhttp.s3.S3Objects.MIB;
import static io.evhttp.s3.S3Objects.randomBytes;
import static io.evhttp.s3.S3Objects.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.resumable.ResumableEvents;
import io.evhttp.s3.test.S3ProxyExtension;
import io.evhttp.s3.test.S3ProxyServer;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * tus-java-client 0.5.1 against the S3 resumable store (5 MiB parts), over real sockets:
 * sizes around the part size, requests and chunks of several sizes, an upload interrupted
 * and resumed, and one continued on another node on every request. Every object is read
 * back and checked by SHA-256; afterwards the prefix holds the complete object and
 * nothing else (no multipart upload, tail or state object), and no spool file is left.
 */
@ExtendWith(S3ProxyExtension.class)
class S3TusJavaClientTests {

	private static final String BUCKET = "resumable-tus-java";

	private final S3ProxyServer s3proxy;

	private final S3Client direct;

	private final String prefix = "t" + System.nanoTime() + "/";

	private final List<ResumableNode> nodes = new ArrayList<>();

	@TempDir
	Path files;

	S3TusJavaClientTests(S3ProxyServer s3proxy, S3Client direct) {
		this.s3proxy = s3proxy;
		this.direct = direct;
	}

	@BeforeAll
	static void bucket(S3ProxyServer s3proxy) {
		s3proxy.createBucket(BUCKET);
	}

	@AfterEach
	void stop() {
		this.nodes.forEach(ResumableNode::close);
	}

	@ParameterizedTest(name = "{0} bytes in requests of {1}, chunks of {2}")
	@CsvSource({ "0, 1048576, 65536", "1, 1048576, 65536", "5242879, 1048576, 65536", "5242880, 7340032, 1048576",
			"5242881, 2097152, 65536", "5242881, 5242881, 4096", "67121911, 8388608, 1048576",
			"67121911, 67121911, 2097152" })
	void uploadsArriveWholeInOneObject(int size, int requestSize, int chunkSize) throws Exception {
		ResumableNode node = node();
		byte[] data = randomBytes(size, size);
		TusClient client = client(node);
		TusUploader uploader = client.resumeOrCreateUpload(upload(data));
		uploader.setChunkSize(chunkSize);
		uploader.setRequestPayloadSize(requestSize);
		while (uploader.uploadChunk() > -1) {
			// one chunk per call; a new request every requestSize bytes
		}
		uploader.finish();
		assertThat(uploader.getOffset()).isEqualTo(size);
		assertStoredWhole(uploader.getUploadURL(), data);
	}

	@ParameterizedTest(name = "stopped after {0} bytes")
	@CsvSource({ "1048576", "5242880", "7340032" })
	void uploadInterruptedIsResumedByTheClient(int before) throws Exception {
		ResumableNode node = node();
		byte[] data = randomBytes(12 * MIB + 7, before);
		TusClient client = client(node);
		TusUploader first = client.resumeOrCreateUpload(upload(data));
		first.setChunkSize(MIB);
		first.setRequestPayloadSize(MIB);
		while (first.getOffset() < before && first.uploadChunk() > -1) {
			// part way, as a client that went offline
		}
		first.finish(false);
		TusUploader second = client.resumeOrCreateUpload(upload(data));
		assertThat(second.getOffset()).isEqualTo(before);
		second.setChunkSize(MIB);
		second.setRequestPayloadSize(3 * MIB);
		while (second.uploadChunk() > -1) {
			// the rest
		}
		second.finish();
		assertThat(second.getUploadURL()).isEqualTo(first.getUploadURL());
		assertStoredWhole(second.getUploadURL(), data);
	}

	@Test
	void uploadSwitchingNodeOnEveryRequestArrivesWhole() throws Exception {
		List<ResumableNode> two = List.of(node(), node());
		byte[] data = randomBytes(23 * MIB + 5, 42);
		TusURLMemoryStore urls = new TusURLMemoryStore();
		TusUpload upload = upload(data);
		TusUploader uploader = client(two.get(0), urls).resumeOrCreateUpload(upload);
		String id = null;
		for (int request = 1;; request++) {
			uploader.setChunkSize(MIB);
			uploader.setRequestPayloadSize(3 * MIB);
			long before = uploader.getOffset();
			while (uploader.getOffset() < before + 3 * MIB && uploader.uploadChunk() > -1) {
				// one request of 3 MiB
			}
			if (uploader.getOffset() == data.length) {
				uploader.finish();
				break;
			}
			uploader.finish(false);
			String path = uploader.getUploadURL().getPath();
			id = path.substring(path.lastIndexOf('/') + 1);
			ResumableNode next = two.get(request % 2);
			urls.set(upload.getFingerprint(), new URL(next.base() + id));
			uploader = client(next, urls).resumeUpload(upload);
			assertThat(uploader.getUploadURL().getPort()).isEqualTo(next.port());
		}
		assertThat(id).isNotNull();
		assertStoredWhole(uploader.getUploadURL(), data);
		assertThat(two.get(1).spooled()).isEmpty();
	}

	private ResumableNode node() throws IOException {
		ResumableNode node = new ResumableNode(this.s3proxy, BUCKET, this.prefix, (b) -> b, ResumableEvents.NONE);
		this.nodes.add(node);
		return node;
	}

	private static TusClient client(ResumableNode node) throws IOException {
		return client(node, new TusURLMemoryStore());
	}

	private static TusClient client(ResumableNode node, TusURLMemoryStore urls) throws IOException {
		TusClient client = new TusClient();
		client.setUploadCreationURL(new URL(node.base()));
		client.enableResuming(urls);
		return client;
	}

	private TusUpload upload(byte[] data) throws IOException {
		Path file = this.files.resolve("f" + data.length + ".bin");
		if (!Files.exists(file)) {
			Files.write(file, data);
		}
		TusUpload upload = new TusUpload(file.toFile());
		upload.setMetadata(Map.of("filename", file.getFileName().toString()));
		return upload;
	}

	/** Fetched back through the endpoint; the prefix holds that object alone. */
	private void assertStoredWhole(URL url, byte[] data) throws IOException {
		HttpURLConnection c = (HttpURLConnection) url.openConnection();
		assertThat(c.getResponseCode()).isEqualTo(200);
		try (InputStream in = c.getInputStream()) {
			assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(data));
		}
		String path = url.getPath();
		String id = path.substring(path.lastIndexOf('/') + 1);
		assertThat(ResumableNode.leftovers(this.direct, BUCKET, this.prefix)).containsExactly("object " + id);
		for (ResumableNode node : this.nodes) {
			assertThat(node.spooled()).isEmpty();
		}
	}

}
