package io.evhttp.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import io.evhttp.server.EvServer;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The echo contract of CONTRACT.md over real sockets, including every error status, with
 * uploads in tmp-path; {@link S3EchoContractTests} runs the same against a bucket.
 */
@SpringBootTest(properties = { "evhttp.port=0", "evhttp.tmp-path=${java.io.tmpdir}/evhttp-demo-tests-${random.uuid}",
		"evhttp.limits.file=12MB", "evhttp.timeout=1s" })
class EchoContractTests {

	@Value("${local.evhttp.port}")
	int port;

	@Autowired
	EvServer server;

	/** A connection to the server; subclasses change how (over TLS). */
	Socket connect() throws IOException {
		return new Socket("127.0.0.1", this.port);
	}

	@AfterEach
	void tmpPathHoldsNoFileOfAFinishedRequest() {
		Path tmp = this.server.tmpPath();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			try (Stream<Path> files = Files.list(tmp)) {
				assertThat(files).isEmpty();
			}
		});
	}

	@Test
	void helloAnswersOverKeepAlive() throws IOException {
		try (Client client = new Client(connect())) {
			for (int i = 0; i < 2; i++) {
				client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
				Reply reply = client.read();
				assertThat(reply.status).isEqualTo(200);
				assertThat(reply.headers).containsEntry("content-type", "text/plain");
				assertThat(reply.body).isEqualTo("Hello, World!");
			}
		}
	}

	@Test
	void wrongMethodGets405WithAllow() throws IOException {
		try (Client client = new Client(connect())) {
			client.send("GET /upload HTTP/1.1\r\nHost: x\r\n\r\n");
			Reply reply = client.read();
			assertThat(reply.status).isEqualTo(405);
			assertThat(reply.headers).containsEntry("allow", "POST");
		}
		try (Client client = new Client(connect())) {
			client.send("DELETE /hello HTTP/1.1\r\nHost: x\r\n\r\n");
			Reply reply = client.read();
			assertThat(reply.status).isEqualTo(405);
			assertThat(reply.headers).containsEntry("allow", "GET, HEAD");
		}
	}

	@Test
	void multipartFieldsAndFilesAreEchoedInOrderWithSha256() throws Exception {
		byte[] a = random(700_000, 1);
		byte[] b = random(12_345, 2);
		byte[] body = new Form().field("z", "last")
			.file("doc", "a.bin", "application/pdf", a)
			.field("z", "again")
			.field("\u00e9", "caf\u00e9")
			.file("doc", "", null, new byte[0])
			.raw("Content-Disposition: form-data; name=\"x\"; filename=\"x.txt\"; filename*=UTF-8''%E2%82%AC.txt", b)
			.build();
		DocumentContext json = post("/upload?sha256=1&q=1&q=2", body);
		Map<String, Object> query = json.read("$.query");
		assertThat(query).containsExactly(Map.entry("sha256", List.of("1")), Map.entry("q", List.of("1", "2")));
		Map<String, Object> fields = json.read("$.fields");
		assertThat(fields).containsExactly(Map.entry("z", List.of("last", "again")),
				Map.entry("\u00e9", List.of("caf\u00e9")));
		List<Map<String, Object>> files = json.read("$.files");
		assertThat(files).hasSize(3);
		assertThat(files.get(0)).containsExactly(Map.entry("field", "doc"), Map.entry("filename", "a.bin"),
				Map.entry("contentType", "application/pdf"), Map.entry("size", 700_000),
				Map.entry("sha256", sha256(a)));
		assertThat(files.get(1)).containsEntry("filename", "")
			.containsEntry("contentType", "text/plain")
			.containsEntry("size", 0);
		assertThat(files.get(2)).containsEntry("filename", "\u20ac.txt").containsEntry("sha256", sha256(b));
	}

	@Test
	void withoutTheSha256ParameterNoDigestIsGiven() throws Exception {
		DocumentContext json = post("/upload", new Form().file("f", "f", null, random(1000, 3)).build());
		List<Map<String, Object>> files = json.read("$.files");
		assertThat(files.get(0)).doesNotContainKey("sha256").containsEntry("size", 1000);
	}

	@Test
	void urlencodedBodyGivesFields() throws IOException {
		try (Client client = new Client(connect())) {
			client.send("POST /upload?a=1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
					+ "Content-Length: 19\r\n\r\nk=v+w&k=%C3%A9&e=&n");
			DocumentContext json = JsonPath.parse(client.read().body);
			Map<String, Object> fields = json.read("$.fields");
			assertThat(fields).containsExactly(Map.entry("k", List.of("v w", "\u00e9")), Map.entry("e", List.of("")),
					Map.entry("n", List.of("")));
			assertThat(json.read("$.query.a[0]", String.class)).isEqualTo("1");
		}
	}

	@Test
	void chunkedMultipartIsEchoed() throws Exception {
		byte[] file = random(300_000, 4);
		byte[] body = new Form().file("f", "c.bin", null, file).build();
		ByteArrayOutputStream req = new ByteArrayOutputStream();
		req.writeBytes(("POST /upload?sha256=1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: "
				+ Form.TYPE + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		for (int pos = 0; pos < body.length; pos += 65_000) {
			int n = Math.min(65_000, body.length - pos);
			req.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			req.write(body, pos, n);
			req.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		req.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		try (Client client = new Client(connect())) {
			client.send(req.toByteArray());
			DocumentContext json = JsonPath.parse(client.read().body);
			assertThat(json.read("$.files[0].sha256", String.class)).isEqualTo(sha256(file));
		}
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', value = { "malformed head | 400", "malformed body | 400", "file over limit | 413",
			"header section over limit | 431", "request not received in time | 408" })
	void refusedRequestsGetTheirStatusAndAClosedConnection(String what, int status) throws IOException {
		try (Client client = new Client(connect())) {
			switch (what) {
				case "malformed head" -> client.send("POST /upload HTTP/1.1\r\nHost x\r\n\r\n");
				case "malformed body" -> {
					byte[] body = "--XyZ\r\nContent-Disposition: form-data; name=f; filename=f\r\n\r\nno end"
						.getBytes(StandardCharsets.US_ASCII);
					client.send(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: " + Form.TYPE
							+ "\r\nContent-Length: " + body.length + "\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
					client.send(body);
				}
				case "file over limit" -> {
					byte[] body = new Form().file("f", "big", null, new byte[13_000_000]).build();
					client.send(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: " + Form.TYPE
							+ "\r\nContent-Length: " + body.length + "\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
					client.sendQuietly(body);
				}
				case "header section over limit" ->
					client.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
				default -> client.send("POST /upload HTTP/1.1\r\nHost: x\r\n"
						+ "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nabc");
			}
			Reply reply = client.read();
			assertThat(reply.status).isEqualTo(status);
			assertThat(client.closedByServer()).isTrue();
		}
		try (Client other = new Client(connect())) {
			other.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(other.read().status).isEqualTo(200);
		}
	}

	@Test
	void clientThatLeavesMidFileLeavesNothingBehind() throws IOException {
		byte[] body = new Form().file("f", "gone.bin", null, random(10_000_000, 5)).build();
		try (Client client = new Client(connect())) {
			client.send(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: " + Form.TYPE + "\r\nContent-Length: "
					+ body.length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			client.send(java.util.Arrays.copyOf(body, 7_000_000));
		}
		try (Client other = new Client(connect())) {
			other.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(other.read().status).isEqualTo(200);
		}
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			value = { "JSON | application/json | 13", "no type | | 13", "text, chunked | text/plain | -1",
					"JSON, empty | application/json | 0", "multipart/mixed | multipart/mixed; boundary=XyZ | 13" })
	void bodiesThatAreNotFormsAreRefusedWith415AndAClosedConnection(String what, String type, int length)
			throws IOException {
		String head = "POST /upload HTTP/1.1\r\nHost: x\r\n" + ((type != null) ? "Content-Type: " + type + "\r\n" : "")
				+ ((length >= 0) ? "Content-Length: " + length : "Transfer-Encoding: chunked") + "\r\n\r\n";
		String body = (length > 0) ? "{\"a\":\"b\"}\r\n\r\n".substring(0, length)
				: (length < 0) ? "9\r\n{\"a\":\"b\"}\r\n0\r\n\r\n" : "";
		try (Client client = new Client(connect())) {
			client.send(head + body);
			assertThat(client.read().status).isEqualTo(415);
			assertThat(client.closedByServer()).isTrue();
		}
	}

	@Test
	void bodyThatIsNotAFormIsRefusedBeforeItIsSent() throws IOException {
		try (Client client = new Client(connect())) {
			client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
					+ "Content-Length: 100000\r\nExpect: 100-continue\r\n\r\n");
			Reply reply = client.read(); // not 100 Continue: the client keeps its body
			assertThat(reply.status).isEqualTo(415);
			assertThat(client.closedByServer()).isTrue();
		}
	}

	@Test
	void postWithoutBodyOrTypeIsAnEmptyForm() throws IOException {
		for (String length : List.of("", "Content-Length: 0\r\n")) {
			try (Client client = new Client(connect())) {
				client.send("POST /upload?a=1 HTTP/1.1\r\nHost: x\r\n" + length + "\r\n");
				Reply reply = client.read();
				assertThat(reply.status).isEqualTo(200);
				assertThat(reply.body).isEqualTo("{\"query\":{\"a\":[\"1\"]},\"fields\":{},\"files\":[]}");
			}
		}
	}

	@Test
	void malformedContentTypeIsRefusedWith400() throws IOException {
		try (Client client = new Client(connect())) {
			client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: json\r\nContent-Length: 2\r\n\r\n{}");
			assertThat(client.read().status).isEqualTo(400);
			assertThat(client.closedByServer()).isTrue();
		}
	}

	private DocumentContext post(String target, byte[] body) throws IOException {
		try (Client client = new Client(connect())) {
			client.send(("POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + Form.TYPE
					+ "\r\nContent-Length: " + body.length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			client.send(body);
			Reply reply = client.read();
			assertThat(reply.status).isEqualTo(200);
			assertThat(reply.headers).containsEntry("content-type", "application/json");
			return JsonPath.parse(reply.body);
		}
	}

	static byte[] random(int n, long seed) {
		byte[] b = new byte[n];
		new Random(seed).nextBytes(b);
		return b;
	}

	static String sha256(byte[] data) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
	}

	/** A multipart body. */
	static final class Form {

		static final String TYPE = "multipart/form-data; boundary=XyZ";

		private final ByteArrayOutputStream out = new ByteArrayOutputStream();

		Form field(String name, String value) {
			return raw("Content-Disposition: form-data; name=\"" + name + "\"", value.getBytes(StandardCharsets.UTF_8));
		}

		Form file(String name, String filename, String type, byte[] data) {
			String headers = "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\""
					+ ((type != null) ? "\r\nContent-Type: " + type : "");
			return raw(headers, data);
		}

		Form raw(String headers, byte[] data) {
			this.out.writeBytes(("--XyZ\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
			this.out.writeBytes(data);
			this.out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
			return this;
		}

		byte[] build() {
			this.out.writeBytes("--XyZ--\r\n".getBytes(StandardCharsets.US_ASCII));
			return this.out.toByteArray();
		}

	}

	record Reply(int status, Map<String, String> headers, String body) {
	}

	/** Raw socket client reading Content-Length responses. */
	static final class Client implements AutoCloseable {

		private final Socket socket;

		private final InputStream in;

		Client(int port) throws IOException {
			this(new Socket("127.0.0.1", port));
		}

		Client(Socket socket) throws IOException {
			this.socket = socket;
			this.socket.setSoTimeout(10_000);
			this.in = new java.io.BufferedInputStream(this.socket.getInputStream());
		}

		void send(String text) throws IOException {
			send(text.getBytes(StandardCharsets.ISO_8859_1));
		}

		void send(byte[] bytes) throws IOException {
			this.socket.getOutputStream().write(bytes);
		}

		/** Sends what the server takes: it may refuse and close early. */
		void sendQuietly(byte[] bytes) {
			try {
				send(bytes);
			}
			catch (IOException ex) {
				// the refusal is already on its way
			}
		}

		Reply read() throws IOException {
			String status = line();
			Map<String, String> headers = new java.util.LinkedHashMap<>();
			for (String line = line(); !line.isEmpty(); line = line()) {
				int colon = line.indexOf(':');
				headers.put(line.substring(0, colon).toLowerCase(java.util.Locale.ROOT),
						line.substring(colon + 1).trim());
			}
			byte[] body = this.in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
			return new Reply(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
		}

		boolean closedByServer() throws IOException {
			try {
				return this.in.read() < 0;
			}
			catch (SocketTimeoutException ex) {
				return false;
			}
			catch (IOException ex) {
				return true;
			}
		}

		private String line() throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			int b;
			while ((b = this.in.read()) >= 0 && b != '\n') {
				line.write(b);
			}
			String s = line.toString(StandardCharsets.UTF_8);
			return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
