package io.evhttp.s3;

import static io.evhttp.s3.S3Objects.MIB;
import static io.evhttp.s3.S3Objects.randomBytes;
import static io.evhttp.s3.S3Objects.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.resumable.ResumableEvents;
import io.evhttp.s3.test.S3ProxyExtension;
import io.evhttp.s3.test.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Both protocols over real sockets on one node whose store is S3: the IETF draft's
 * creation-with-upload and 104, tus deferred length, checksum mismatch, concatenation and
 * the streamed {@code GET}; only the complete objects stay in the bucket.
 */
@ExtendWith(S3ProxyExtension.class)
class S3ResumableProtocolTests {

	private static final String BUCKET = "resumable-protocol";

	private final S3ProxyServer s3proxy;

	private final S3Client direct;

	private final String prefix = "r" + System.nanoTime() + "/";

	private ResumableNode node;

	S3ResumableProtocolTests(S3ProxyServer s3proxy, S3Client direct) {
		this.s3proxy = s3proxy;
		this.direct = direct;
	}

	@BeforeAll
	static void bucket(S3ProxyServer s3proxy) {
		s3proxy.createBucket(BUCKET);
	}

	@BeforeEach
	void start() throws IOException {
		this.node = new ResumableNode(this.s3proxy, BUCKET, this.prefix, (b) -> b, ResumableEvents.NONE);
	}

	@AfterEach
	void stop() {
		this.node.close();
	}

	/** A response, interim ones first, all read until the server closes. */
	private record Exchange(List<Integer> statuses, String head, byte[] body) {

		String header(String name) {
			Matcher m = Pattern.compile("(?im)^" + name + ": *([^\r\n]*)").matcher(this.head);
			String last = null;
			while (m.find()) {
				last = m.group(1);
			}
			return last;
		}

	}

	private Exchange exchange(String head, byte[] body) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.node.port())) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write((head.replace("\n", "\r\n") + "\r\nHost: x\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			if (body != null) {
				out.write(body);
			}
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] all = in.readAllBytes();
			String text = new String(all, StandardCharsets.ISO_8859_1);
			List<Integer> statuses = new ArrayList<>();
			int at = 0;
			int end;
			while (true) {
				end = text.indexOf("\r\n\r\n", at);
				statuses.add(Integer.parseInt(text.substring(at + 9, at + 12)));
				if (statuses.get(statuses.size() - 1) >= 200) {
					break;
				}
				at = end + 4;
			}
			ByteArrayOutputStream rest = new ByteArrayOutputStream();
			rest.write(all, end + 4, all.length - end - 4);
			return new Exchange(statuses, text.substring(at, end + 2), rest.toByteArray());
		}
	}

	@Test
	void draftCreationWithUploadCompletesInOneRequestAfterA104() throws IOException {
		byte[] bytes = randomBytes(6 * MIB + 9, 1);
		Exchange created = exchange("POST /resumable/ HTTP/1.1\nUpload-Draft-Interop-Version: 8\nUpload-Complete: ?1"
				+ "\nContent-Length: " + bytes.length, bytes);
		assertThat(created.statuses()).containsExactly(104, 200);
		assertThat(created.header("Upload-Complete")).isEqualTo("?1");
		String id = idOf(created.header("Location"));
		Exchange got = exchange("GET /resumable/" + id + " HTTP/1.1", null);
		assertThat(got.statuses()).containsExactly(200);
		assertThat(sha256(got.body())).isEqualTo(sha256(bytes));
		assertThat(leftovers()).containsExactly("object " + id);
	}

	@Test
	void tusDeferredLengthIsDeclaredByTheLastPatch() throws IOException {
		byte[] bytes = randomBytes(5 * MIB + 1, 2);
		String id = idOf(exchange("POST /resumable/ HTTP/1.1\nTus-Resumable: 1.0.0\nUpload-Defer-Length: 1", null)
			.header("Location"));
		assertThat(patch(id, 0, "", java.util.Arrays.copyOfRange(bytes, 0, 4 * MIB)).statuses()).containsExactly(204);
		Exchange last = patch(id, 4 * MIB, "\nUpload-Length: " + bytes.length,
				java.util.Arrays.copyOfRange(bytes, 4 * MIB, bytes.length));
		assertThat(last.header("Upload-Offset")).isEqualTo(Integer.toString(bytes.length));
		assertThat(sha256(exchange("GET /resumable/" + id + " HTTP/1.1", null).body())).isEqualTo(sha256(bytes));
		assertThat(leftovers()).containsExactly("object " + id);
	}

	@Test
	void tusChecksumMismatchIsRefusedWith460AndTheOffsetStays() throws IOException {
		String id = idOf(exchange("POST /resumable/ HTTP/1.1\nTus-Resumable: 1.0.0\nUpload-Length: 10", null)
			.header("Location"));
		String wrong = Base64.getEncoder().encodeToString(new byte[20]);
		assertThat(patch(id, 0, "\nUpload-Checksum: sha1 " + wrong, "hello".getBytes()).statuses())
			.containsExactly(460);
		Exchange head = exchange("HEAD /resumable/" + id + " HTTP/1.1\nTus-Resumable: 1.0.0", null);
		assertThat(head.header("Upload-Offset")).isEqualTo("0");
	}

	@Test
	void tusConcatenationOfPartialUploadsIsOneObject() throws IOException {
		byte[] a = randomBytes(2 * MIB, 3);
		byte[] b = randomBytes(MIB + 1, 4);
		List<String> urls = new ArrayList<>();
		for (byte[] bytes : List.of(a, b)) {
			Exchange created = exchange("POST /resumable/ HTTP/1.1\nTus-Resumable: 1.0.0\nUpload-Concat: partial"
					+ "\nUpload-Length: " + bytes.length
					+ "\nContent-Type: application/offset+octet-stream\nContent-Length: " + bytes.length, bytes);
			assertThat(created.statuses()).containsExactly(201);
			urls.add("/resumable/" + idOf(created.header("Location")));
		}
		Exchange whole = exchange(
				"POST /resumable/ HTTP/1.1\nTus-Resumable: 1.0.0\nUpload-Concat: final;" + String.join(" ", urls),
				null);
		assertThat(whole.statuses()).containsExactly(201);
		String id = idOf(whole.header("Location"));
		assertThat(sha256(exchange("GET /resumable/" + id + " HTTP/1.1", null).body())).isEqualTo(sha256(a, b));
	}

	@Test
	void expiredUploadsAreFoundAndRemovedFromTheBucket() throws Exception {
		String id = idOf(exchange("POST /resumable/ HTTP/1.1\nTus-Resumable: 1.0.0\nUpload-Length: " + 7 * MIB, null)
			.header("Location"));
		patch(id, 0, "", randomBytes(6 * MIB, 5));
		assertThat(leftovers()).isNotEmpty();
		assertThat(this.node.store.expired(java.time.Instant.now().plus(java.time.Duration.ofDays(2))))
			.extracting((info) -> info.id())
			.containsExactly(id);
		try (var lease = this.node.store.lease(id, java.time.Duration.ofSeconds(5))) {
			lease.terminate(); // as the endpoint's sweep does
		}
		assertThat(leftovers()).isEmpty();
	}

	private Exchange patch(String id, long offset, String extra, byte[] bytes) throws IOException {
		return exchange("PATCH /resumable/" + id + " HTTP/1.1\nTus-Resumable: 1.0.0\nUpload-Offset: " + offset + extra
				+ "\nContent-Type: application/offset+octet-stream\nContent-Length: " + bytes.length, bytes);
	}

	private List<String> leftovers() {
		return ResumableNode.leftovers(this.direct, BUCKET, this.prefix);
	}

	private static String idOf(String location) {
		return location.substring(location.lastIndexOf('/') + 1);
	}

}
