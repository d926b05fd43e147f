package io.evhttp.demo;

import static io.evhttp.demo.EchoContractTests.random;
import static io.evhttp.demo.EchoContractTests.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.evhttp.server.EvServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.client.RestClient;

/**
 * The echo contract driven by the clients people use, each with its own way of writing a
 * form: {@code java.net.http.HttpClient} (which also offers an h2c upgrade and sends
 * bodies of unknown length chunked), Spring's {@code RestClient}, and curl. The bytes are
 * checked by SHA-256 and the names as echoed.
 *
 * <p>
 * How the clients write a file name holding {@code "} and {@code \} (captured on the
 * wire): {@code RestClient} and {@code curl --form-escape} escape both with a backslash
 * ({@code filename="say \"hi\" \\ ü.txt"}, the ü as raw UTF-8), plain curl writes
 * {@code "} as {@code %22} and leaves {@code \} alone, as browsers do. curl's
 * {@code type="text/plain; charset=utf-8"} goes out with its quotes:
 * {@code Content-Type: "text/plain; charset=utf-8"}.
 */
@SpringBootTest(properties = { "evhttp.port=0", "evhttp.tmp-path=${java.io.tmpdir}/evhttp-client-tests-${random.uuid}",
		"evhttp.timeout=10s" })
class RealClientTests {

	private static final String AWKWARD_NAME = "say \"hi\" \\ \u00fc.txt";

	private static final Path CURL = Path.of("/usr/bin/curl");

	@Value("${local.evhttp.port}")
	int port;

	@Autowired
	EvServer server;

	@TempDir
	Path files;

	@AfterEach
	void tmpPathHoldsNoFileOfAFinishedRequest() {
		Path tmp = this.server.tmpPath();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			try (Stream<Path> left = Files.list(tmp)) {
				assertThat(left).isEmpty();
			}
		});
	}

	@Test
	void javaHttpClientSendsAHandBuiltMultipartBody() throws Exception {
		byte[] data = random(300_000, 11);
		String boundary = "----evhttp" + Long.toHexString(System.nanoTime());
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n"
				+ "caf\u00e9\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"doc\"; filename=\""
				+ "r\u00e9sum\u00e9.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(data);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/upload?sha256=1"))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(BodyPublishers.ofByteArray(body.toByteArray())));
		assertThat(response.statusCode()).isEqualTo(200);
		DocumentContext json = JsonPath.parse(response.body());
		assertThat(json.read("$.fields.title[0]", String.class)).isEqualTo("caf\u00e9");
		assertThat(json.read("$.files[0].filename", String.class)).isEqualTo("r\u00e9sum\u00e9.bin");
		assertThat(json.read("$.files[0].contentType", String.class)).isEqualTo("application/octet-stream");
		assertThat(json.read("$.files[0].size", Integer.class)).isEqualTo(data.length);
		assertThat(json.read("$.files[0].sha256", String.class)).isEqualTo(sha256(data));
	}

	@Test
	void javaHttpClientSendsABodyOfUnknownLengthChunked() throws Exception {
		byte[] data = random(200_000, 12);
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"c.bin\"\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		body.writeBytes(data);
		body.writeBytes("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/upload?sha256=1"))
			.header("Content-Type", "multipart/form-data; boundary=b")
			.POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.toByteArray()))));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(response.body()).read("$.files[0].sha256", String.class)).isEqualTo(sha256(data));
	}

	@Test
	void javaHttpClientSendsAnUrlencodedForm() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/upload?q=%C3%BC"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString("a=1+2&b=%22%5C%C3%A9&a=&c")));
		assertThat(response.statusCode()).isEqualTo(200);
		DocumentContext json = JsonPath.parse(response.body());
		Map<String, Object> fields = json.read("$.fields");
		assertThat(fields).containsExactly(Map.entry("a", List.of("1 2", "")), Map.entry("b", List.of("\"\\\u00e9")),
				Map.entry("c", List.of("")));
		assertThat(json.read("$.query.q[0]", String.class)).isEqualTo("\u00fc");
	}

	@Test
	void javaHttpClientPostingJsonGets415() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/upload"))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"a\":1}")));
		assertThat(response.statusCode()).isEqualTo(415);
	}

	@Test
	void restClientMultipartBodyBuilderKeepsUtf8NamesAndBytes() throws Exception {
		byte[] data = random(150_000, 13);
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part("title", "na\u00efve \u2013 \u00fc");
		form.part("f", resource("na\u00efve \u2013 \u00fc.bin", data));
		DocumentContext json = restPost(form.build());
		assertThat(json.read("$.fields.title[0]", String.class)).isEqualTo("na\u00efve \u2013 \u00fc");
		assertThat(json.read("$.files[0].filename", String.class)).isEqualTo("na\u00efve \u2013 \u00fc.bin");
		assertThat(json.read("$.files[0].sha256", String.class)).isEqualTo(sha256(data));
	}

	@Test
	void restClientMultipartBodyBuilderFilenameWithQuoteAndBackslashIsEchoedAsGiven() throws Exception {
		byte[] data = random(100_000, 14);
		MultipartBodyBuilder form = new MultipartBodyBuilder();
		form.part("f", resource(AWKWARD_NAME, data));
		DocumentContext json = restPost(form.build());
		assertThat(json.read("$.files[0].filename", String.class)).isEqualTo(AWKWARD_NAME);
		assertThat(json.read("$.files[0].sha256", String.class)).isEqualTo(sha256(data));
	}

	@Test
	void restClientLinkedMultiValueMapFilenameWithQuoteAndBackslashIsEchoedAsGiven() throws Exception {
		byte[] a = random(70_000, 15);
		byte[] b = random(1, 16);
		LinkedMultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
		form.add("f", resource(AWKWARD_NAME, a));
		form.add("f", resource("\\\\server\\share\\\"q\".txt", b));
		form.add("note", "\"quoted\" \\ \u00fc");
		DocumentContext json = restPost(form);
		assertThat(json.read("$.fields.note[0]", String.class)).isEqualTo("\"quoted\" \\ \u00fc");
		assertThat(json.read("$.files[0].filename", String.class)).isEqualTo(AWKWARD_NAME);
		assertThat(json.read("$.files[0].sha256", String.class)).isEqualTo(sha256(a));
		assertThat(json.read("$.files[1].filename", String.class)).isEqualTo("\\\\server\\share\\\"q\".txt");
		assertThat(json.read("$.files[1].sha256", String.class)).isEqualTo(sha256(b));
	}

	@Test
	void curlUploadsAFieldAndAFileWithAUtf8Name() throws Exception {
		byte[] data = random(250_000, 17);
		Path file = write("plain.bin", data);
		DocumentContext json = JsonPath.parse(curlOk("-F", "title=hi \u00fc", "-F",
				"f=@" + file + ";filename=\u00fcber.bin", url("/upload?sha256=1")));
		assertThat(json.read("$.fields.title[0]", String.class)).isEqualTo("hi \u00fc");
		assertThat(json.read("$.files[0].filename", String.class)).isEqualTo("\u00fcber.bin");
		assertThat(json.read("$.files[0].contentType", String.class)).isEqualTo("application/octet-stream");
		assertThat(json.read("$.files[0].sha256", String.class)).isEqualTo(sha256(data));
	}

	@Test
	void curlWithoutFormEscapeSendsAQuoteAsPercent22WhichIsEchoedAsSent() throws Exception {
		byte[] data = random(10_000, 18);
		Path file = write("a.txt", data);
		DocumentContext json = JsonPath
			.parse(curlOk("-F", "f=@" + file + ";filename=" + quoted(AWKWARD_NAME), url("/upload?sha256=1")));
		assertThat(json.read("$.files[0].filename", String.class)).isEqualTo("say %22hi%22 \\ \u00fc.txt");
		assertThat(json.read("$.files[0].sha256", String.class)).isEqualTo(sha256(data));
	}

	@Test
	void curlFormEscapeFilenameWithQuoteAndBackslashIsEchoedAsGiven() throws Exception {
		byte[] data = random(10_000, 19);
		Path file = write("a.txt", data);
		DocumentContext json = JsonPath.parse(curlOk("--form-escape", "-F",
				"f=@" + file + ";filename=" + quoted(AWKWARD_NAME), url("/upload?sha256=1")));
		assertThat(json.read("$.files[0].filename", String.class)).isEqualTo(AWKWARD_NAME);
		assertThat(json.read("$.files[0].sha256", String.class)).isEqualTo(sha256(data));
	}

	@Test
	void curlTypeWithQuotesIsEchoedAsSent() throws Exception {
		byte[] data = "h\u00e9llo\n".getBytes(StandardCharsets.UTF_8);
		Path file = write("a.txt", data);
		DocumentContext json = JsonPath
			.parse(curlOk("-F", "p=@" + file + ";type=\"text/plain; charset=utf-8\"", url("/upload?sha256=1")));
		assertThat(json.read("$.files[0].filename", String.class)).isEqualTo("a.txt");
		assertThat(json.read("$.files[0].contentType", String.class)).isEqualTo("\"text/plain; charset=utf-8\"");
		assertThat(json.read("$.files[0].sha256", String.class)).isEqualTo(sha256(data));
	}

	@Test
	void curlPostingJsonGets415() throws Exception {
		List<String> out = curl("-H", "Content-Type: application/json", "--data-binary", "{\"a\":1}", url("/upload"));
		assertThat(out.get(1)).isEqualTo("415");
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		return client.send(request.timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofString());
	}

	private DocumentContext restPost(Object form) {
		String body = RestClient.create()
			.post()
			.uri(uri("/upload?sha256=1"))
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(form)
			.retrieve()
			.body(String.class);
		return JsonPath.parse(body);
	}

	private static Resource resource(String filename, byte[] data) {
		return new ByteArrayResource(data) {

			@Override
			public String getFilename() {
				return filename;
			}

		};
	}

	/** Runs curl and returns its answer's body, having checked that it is a 200. */
	private String curlOk(String... args) throws Exception {
		List<String> out = curl(args);
		assertThat(out.get(1)).as(out.get(0)).isEqualTo("200");
		return out.get(0);
	}

	/** Runs curl: the answer's body and its status. */
	private List<String> curl(String... args) throws Exception {
		Assumptions.assumeTrue(Files.isExecutable(CURL), "curl is not installed");
		Assumptions.assumeTrue(
				Stream.of(args).allMatch(StandardCharsets.US_ASCII.newEncoder()::canEncode)
						|| "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")),
				"the JVM passes arguments to processes in another encoding than UTF-8");
		List<String> command = new ArrayList<>(List.of(CURL.toString(), "-sS", "-w", "\n%{http_code}"));
		command.addAll(List.of(args));
		Process curl = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(curl.exitValue()).as("curl's exit code").isZero();
		int newline = out.lastIndexOf('\n');
		return List.of(out.substring(0, newline), out.substring(newline + 1));
	}

	/**
	 * A file name as curl's {@code -F} takes it: quoted, {@code "} and {@code \} escaped.
	 */
	private static String quoted(String name) {
		return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	private Path write(String name, byte[] data) throws IOException {
		return Files.write(this.files.resolve(name), data);
	}

	private URI uri(String target) {
		return URI.create(url(target));
	}

	private String url(String target) {
		return "http://127.0.0.1:" + this.port + target;
	}

}
