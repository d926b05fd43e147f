package io.evhttp.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.evhttp.demo.EchoContractTests.Client;
import io.evhttp.demo.EchoContractTests.Form;
import io.evhttp.demo.EchoContractTests.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The page's file store over real sockets: names from clients never escape the storage
 * folder.
 */
@SpringBootTest(properties = { "evhttp.port=0", "evhttp.tmp-path=${java.io.tmpdir}/evhttp-store-tests" })
class FileStoreTests {

	@TempDir
	static Path storage;

	@Value("${local.evhttp.port}")
	int port;

	@DynamicPropertySource
	static void storagePath(DynamicPropertyRegistry registry) {
		registry.add("demo.storage-path", () -> storage.toString());
	}

	@Test
	void traversalNamesAreStoredInsideTheFolderWithoutOverwriting() throws Exception {
		byte[] body = new Form().file("f", "../../../tmp/evil.sh", null, "one".getBytes(StandardCharsets.US_ASCII))
			.file("g", "C:\\Windows\\evil.sh", null, "two".getBytes(StandardCharsets.US_ASCII))
			.build();
		Reply reply = post(body);
		assertThat(reply.status()).isEqualTo(200);
		List<String> names = JsonPath.read(reply.body(), "$.files[*].name");
		assertThat(names).hasSize(2).allMatch((n) -> n.startsWith("evil")).doesNotHaveDuplicates();
		for (String name : names) {
			assertThat(storage.resolve(name)).exists();
			assertThat(storage.resolve(name).toRealPath().getParent()).isEqualTo(storage.toRealPath());
		}
		assertThat(Files.readString(storage.resolve(names.get(0)))).isEqualTo("one");
		assertThat(Files.readString(storage.resolve(names.get(1)))).isEqualTo("two");
	}

	@Test
	void storedFileIsListedAndDownloadedWhole() throws Exception {
		byte[] data = EchoContractTests.random(500_000, 9);
		String name = JsonPath.read(post(new Form().file("f", "data.bin", null, data).build()).body(),
				"$.files[0].name");
		try (Client client = new Client(this.port)) {
			client.send("GET /files HTTP/1.1\r\nHost: x\r\n\r\n");
			List<String> listed = JsonPath.read(client.read().body(), "$[*].name");
			assertThat(listed).contains(name);
		}
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", this.port)) {
			socket.getOutputStream()
				.write(("GET /files/" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
						+ " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			byte[] response = socket.getInputStream().readAllBytes();
			String text = new String(response, StandardCharsets.ISO_8859_1);
			int bodyStart = text.indexOf("\r\n\r\n") + 4;
			assertThat(text).startsWith("HTTP/1.1 200").contains("Content-Disposition: attachment; filename*=UTF-8''");
			assertThat(java.util.Arrays.copyOfRange(response, bodyStart, response.length)).isEqualTo(data);
		}
	}

	@Test
	void downloadsOutsideTheFolderAreNotFound() throws IOException {
		for (String path : List.of("/files/..%2F..%2Fetc%2Fpasswd", "/files/%2Fetc%2Fpasswd", "/files/.hidden",
				"/files/%zz", "/files/missing.bin")) {
			try (Client client = new Client(this.port)) {
				client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
				assertThat(client.read().status()).as(path).isEqualTo(404);
			}
		}
	}

	@Test
	void badNamesAreNotFoundNeverAServerError() throws IOException {
		for (String name : List.of("%00", "a%00b.bin", "..", "%2E%2E", "%2E%2E%2F", "a%2Fb", "%5C..%5Cx", "a%3Ab",
				"%0Aa", "%", "%4", "%g0", "%FF", "%C3", "%C0%AF", "%ED%A0%80", "a".repeat(256), "%C3%BC".repeat(128),
				"b".repeat(5000))) {
			try (Client client = new Client(this.port)) {
				client.send("GET /files/" + name + " HTTP/1.1\r\nHost: x\r\n\r\n");
				assertThat(client.read().status()).as(name).isEqualTo(404);
			}
		}
	}

	@Test
	void plusInADownloadNameIsAPlus() throws Exception {
		byte[] data = "plus".getBytes(StandardCharsets.US_ASCII);
		String name = JsonPath.read(post(new Form().file("f", "1+1 is 2.txt", null, data).build()).body(),
				"$.files[0].name");
		assertThat(name).isEqualTo("1+1 is 2.txt");
		try (Client client = new Client(this.port)) {
			client.send("GET /files/1+1%20is%202.txt HTTP/1.1\r\nHost: x\r\n\r\n");
			Reply reply = client.read();
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.body()).isEqualTo("plus");
		}
	}

	@Test
	void namesTooLongForTheFileSystemAreShortenedKeepingTheirExtension() throws Exception {
		String ascii = "x".repeat(300) + ".txt";
		String utf8 = "\u00e9".repeat(200) + ".bin";
		byte[] body = new Form().file("f", ascii, null, "one".getBytes(StandardCharsets.US_ASCII))
			.file("f", ascii, null, "two".getBytes(StandardCharsets.US_ASCII))
			.file("f", utf8, null, "three".getBytes(StandardCharsets.US_ASCII))
			.build();
		Reply reply = post(body);
		assertThat(reply.status()).isEqualTo(200);
		List<String> names = JsonPath.read(reply.body(), "$.files[*].name");
		assertThat(names).hasSize(3).doesNotHaveDuplicates();
		assertThat(names.get(0)).startsWith("xxx").endsWith(".txt");
		assertThat(names.get(1)).startsWith("xxx").endsWith(" (1).txt");
		assertThat(names.get(2)).startsWith("\u00e9").endsWith(".bin");
		for (String name : names) {
			assertThat(name.getBytes(StandardCharsets.UTF_8).length).as(name).isLessThanOrEqualTo(255);
		}
		assertThat(Files.readString(storage.resolve(names.get(1)))).isEqualTo("two");
		try (Client client = new Client(this.port)) {
			client.send("GET /files/" + java.net.URLEncoder.encode(names.get(2), StandardCharsets.UTF_8)
					+ " HTTP/1.1\r\nHost: x\r\n\r\n");
			Reply download = client.read();
			assertThat(download.status()).isEqualTo(200);
			assertThat(download.body()).isEqualTo("three");
		}
	}

	private Reply post(byte[] body) throws IOException {
		try (Client client = new Client(this.port)) {
			client.send(("POST /files HTTP/1.1\r\nHost: x\r\nContent-Type: " + Form.TYPE + "\r\nContent-Length: "
					+ body.length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			client.send(body);
			return client.read();
		}
	}

}
