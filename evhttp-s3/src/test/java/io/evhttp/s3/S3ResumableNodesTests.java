package io.evhttp.s3;

import static io.evhttp.s3.S3Objects.MIB;
import static io.evhttp.s3.S3Objects.randomBytes;
import static io.evhttp.s3.S3Objects.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.resumable.ResumableEvents;
import io.evhttp.resumable.UploadInfo;
import io.evhttp.s3.test.S3ProxyExtension;
import io.evhttp.s3.test.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * tus over real sockets against three evhttp nodes sharing one S3Proxy bucket, each with
 * its own {@code ResumableUploads} and {@link S3ResumableStore}: the client switches node
 * on every request; a node dies mid-{@code PATCH} and another finishes the upload; two
 * {@code PATCH}es race on two nodes; and nothing but complete objects stays behind.
 */
@ExtendWith(S3ProxyExtension.class)
class S3ResumableNodesTests {

	private static final String BUCKET = "resumable-nodes";

	private final S3ProxyServer s3proxy;

	private final S3Client direct;

	private final String prefix = "n" + System.nanoTime() + "/";

	private final List<ResumableNode> nodes = new ArrayList<>();

	private final List<String> completed = new CopyOnWriteArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	S3ResumableNodesTests(S3ProxyServer s3proxy, S3Client direct) {
		this.s3proxy = s3proxy;
		this.direct = direct;
	}

	@BeforeAll
	static void bucket(S3ProxyServer s3proxy) {
		s3proxy.createBucket(BUCKET);
	}

	@BeforeEach
	void startNodes() throws IOException {
		ResumableEvents events = new ResumableEvents() {
			@Override
			public void onCompleted(UploadInfo upload, URI location) {
				S3ResumableNodesTests.this.completed.add(upload.id());
			}
		};
		for (int i = 0; i < 3; i++) {
			this.nodes.add(new ResumableNode(this.s3proxy, BUCKET, this.prefix, (b) -> b, events));
		}
	}

	@AfterEach
	void stopNodes() {
		this.nodes.forEach(ResumableNode::close);
	}

	@Test
	void clientSwitchingNodeOnEveryRequestUploadsAndDownloadsTheSameBytes() throws Exception {
		byte[] bytes = randomBytes(18 * MIB + 3, 1);
		String id = create(0, bytes.length);
		List<String> costs = new ArrayList<>();
		int request = 1;
		for (int at = 0; at < bytes.length; at += 4 * MIB, request++) {
			int end = Math.min(bytes.length, at + 4 * MIB);
			List<Map<String, Long>> before = counts();
			HttpResponse<String> patched = patch(request % 3, id, at, Arrays.copyOfRange(bytes, at, end));
			assertThat(patched.statusCode()).isEqualTo(204);
			assertThat(patched.headers().firstValue("Upload-Offset")).hasValue(Long.toString(end));
			costs.add("PATCH " + (end - at) + " bytes: " + delta(before, counts()));
			ResumableNode next = this.nodes.get((request + 1) % 3);
			Map<String, Long> counts = next.store.requestCounts();
			assertThat(head((request + 1) % 3, id)).isEqualTo(end);
			// in progress: the state object; complete: its object's metadata (no state
			// left)
			assertThat(S3ResumableStoreTests.delta(counts, next.store.requestCounts()))
				.isEqualTo((end < bytes.length) ? Map.of("GetObject", 1L) : Map.of("GetObject", 1L, "HeadObject", 1L));
		}
		System.out.println("S3 requests: HEAD 1 GetObject (complete: + 1 HeadObject); " + costs);
		assertThat(this.completed).containsExactly(id);
		assertThat(sha256(get(2, id))).isEqualTo(sha256(bytes));
		assertThat(ResumableNode.leftovers(this.direct, BUCKET, this.prefix)).containsExactly("object " + id);
		for (ResumableNode node : this.nodes) {
			assertThat(node.spooled()).isEmpty();
		}
	}

	@Test
	void nodeKilledMidPatchLeavesTheUploadToAnother() throws Exception {
		byte[] bytes = randomBytes(18 * MIB + 7, 2);
		String id = create(2, bytes.length);
		ResumableNode holder = this.nodes.get(0);
		assertThat(patch(0, id, 0, Arrays.copyOfRange(bytes, 0, 6 * MIB)).statusCode()).isEqualTo(204);
		try (Socket socket = new Socket("127.0.0.1", holder.port())) {
			OutputStream out = socket.getOutputStream();
			out.write(patchHead(id, 6 * MIB, bytes.length - 6 * MIB));
			out.write(bytes, 6 * MIB, 7 * MIB);
			out.flush();
			await().atMost(Duration.ofSeconds(20))
				.until(() -> holder.store.requestCounts().getOrDefault("UploadPart", 0L) >= 2);
			holder.kill(); // its lease is neither committed nor released: it runs out
		}
		// only what was acknowledged counts
		assertThat(head(1, id)).isEqualTo(6 * MIB);
		finishFrom(1, id, bytes);
		assertThat(sha256(get(1, id))).isEqualTo(sha256(bytes));
		assertThat(this.completed).containsExactly(id);
		assertThat(ResumableNode.leftovers(this.direct, BUCKET, this.prefix)).containsExactly("object " + id);
	}

	@Test
	void twoPatchesAtOnceOnTwoNodesLeaveOneWinnerAndTheBytesIntact() throws Exception {
		byte[] bytes = randomBytes(9 * MIB + 1, 3);
		String id = create(2, bytes.length);
		ResumableNode first = this.nodes.get(0);
		try (Socket socket = new Socket("127.0.0.1", first.port())) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write(patchHead(id, 0, bytes.length));
			out.write(bytes, 0, MIB);
			out.flush();
			await().atMost(Duration.ofSeconds(20))
				.until(() -> first.store.requestCounts().getOrDefault("PutObject", 0L) >= 1); // leased
			long asked = System.nanoTime();
			HttpResponse<String> second = patch(1, id, 0, Arrays.copyOfRange(bytes, 0, 2 * MIB));
			System.out.println("racing PATCH answered " + second.statusCode() + " after "
					+ Duration.ofNanos(System.nanoTime() - asked).toMillis() + " ms (the holder let go)");
			assertThat(second.statusCode()).isIn(204, 409, 423);
			// the first request was asked to stop: its connection ends
			InputStream in = socket.getInputStream();
			byte[] rest = in.readAllBytes();
			assertThat(new String(rest, StandardCharsets.ISO_8859_1)).doesNotStartWith("HTTP/1.1 204");
		}
		finishFrom(1, id, bytes);
		assertThat(sha256(get(0, id))).isEqualTo(sha256(bytes));
		assertThat(this.completed).containsExactly(id);
		assertThat(ResumableNode.leftovers(this.direct, BUCKET, this.prefix)).containsExactly("object " + id);
	}

	@Test
	void uploadTerminatedOnAnotherNodeLeavesNothing() throws Exception {
		String id = create(0, 20 * MIB);
		assertThat(patch(1, id, 0, randomBytes(6 * MIB, 4)).statusCode()).isEqualTo(204);
		HttpResponse<String> deleted = this.http.send(request(2, id).DELETE().build(), BodyHandlers.ofString());
		assertThat(deleted.statusCode()).isEqualTo(204);
		assertThat(this.http
			.send(request(0, id).method("HEAD", BodyPublishers.noBody()).build(), BodyHandlers.discarding())
			.statusCode()).isEqualTo(404);
		assertThat(ResumableNode.leftovers(this.direct, BUCKET, this.prefix)).isEmpty();
	}

	@Test
	void completeUploadTerminatedLeavesNothing() throws Exception {
		byte[] bytes = randomBytes(1000, 5);
		String id = create(0, bytes.length);
		assertThat(patch(1, id, 0, bytes).statusCode()).isEqualTo(204);
		assertThat(this.http.send(request(2, id).DELETE().build(), BodyHandlers.ofString()).statusCode())
			.isEqualTo(204);
		assertThat(ResumableNode.leftovers(this.direct, BUCKET, this.prefix)).isEmpty();
	}

	/** Resumes as a tus client does: HEAD for the offset, PATCH the rest; 423 retried. */
	private void finishFrom(int node, String id, byte[] bytes) {
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
			long offset = head(node, id);
			if (offset == bytes.length) {
				return true;
			}
			HttpResponse<String> r = patch(node, id, offset, Arrays.copyOfRange(bytes, (int) offset, bytes.length));
			return r.statusCode() == 204
					&& r.headers().firstValue("Upload-Offset").orElse("").equals("" + bytes.length);
		});
	}

	private List<Map<String, Long>> counts() {
		return this.nodes.stream().map((n) -> n.store.requestCounts()).toList();
	}

	/** S3 requests made by all nodes between two counts, by name. */
	private static Map<String, Long> delta(List<Map<String, Long>> before, List<Map<String, Long>> after) {
		Map<String, Long> sum = new java.util.TreeMap<>();
		for (int i = 0; i < before.size(); i++) {
			S3ResumableStoreTests.delta(before.get(i), after.get(i)).forEach((k, v) -> sum.merge(k, v, Long::sum));
		}
		return sum;
	}

	private HttpRequest.Builder request(int node, String id) {
		return HttpRequest.newBuilder(URI.create(this.nodes.get(node).base() + id))
			.header("Tus-Resumable", "1.0.0")
			.timeout(Duration.ofSeconds(30));
	}

	private String create(int node, long length) throws Exception {
		HttpResponse<String> r = this.http.send(HttpRequest.newBuilder(URI.create(this.nodes.get(node).base()))
			.header("Tus-Resumable", "1.0.0")
			.header("Upload-Length", Long.toString(length))
			.POST(BodyPublishers.noBody())
			.build(), BodyHandlers.ofString());
		assertThat(r.statusCode()).isEqualTo(201);
		String location = r.headers().firstValue("Location").orElseThrow();
		return location.substring(location.lastIndexOf('/') + 1);
	}

	private HttpResponse<String> patch(int node, String id, long offset, byte[] bytes) throws Exception {
		return this.http.send(request(node, id).header("Upload-Offset", Long.toString(offset))
			.header("Content-Type", "application/offset+octet-stream")
			.method("PATCH", BodyPublishers.ofByteArray(bytes))
			.build(), BodyHandlers.ofString());
	}

	private long head(int node, String id) throws Exception {
		HttpResponse<Void> r = this.http.send(request(node, id).method("HEAD", BodyPublishers.noBody()).build(),
				BodyHandlers.discarding());
		assertThat(r.statusCode()).isEqualTo(200);
		return Long.parseLong(r.headers().firstValue("Upload-Offset").orElseThrow());
	}

	private byte[] get(int node, String id) throws Exception {
		HttpResponse<byte[]> r = this.http.send(request(node, id).GET().build(), BodyHandlers.ofByteArray());
		assertThat(r.statusCode()).isEqualTo(200);
		return r.body();
	}

	private static byte[] patchHead(String id, long offset, long length) {
		return ("PATCH /resumable/" + id + " HTTP/1.1\r\nHost: localhost\r\nTus-Resumable: 1.0.0\r\n"
				+ "Content-Type: application/offset+octet-stream\r\nUpload-Offset: " + offset + "\r\nContent-Length: "
				+ length + "\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
	}

}
