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
