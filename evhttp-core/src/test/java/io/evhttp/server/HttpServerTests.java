package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP/1.1 protocol over real sockets: keep-alive, pipelining, framing, errors. */
class HttpServerTests extends ServerFixture {

	@Test
	void answersSeveralRequestsOnOneKeepAliveConnection() throws IOException {
		int port = start(ECHO);
		try (RawClient client = new RawClient(port)) {
			for (int i = 0; i < 3; i++) {
				RawClient.Reply reply = client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read();
				assertThat(reply.status()).isEqualTo(200);
				assertThat(reply.text()).isEqualTo("Hello, World!");
				assertThat(reply.header("Content-Length")).isEqualTo("13");
				assertThat(reply.header("Date")).endsWith("GMT");
				assertThat(reply.header("Connection")).isNull();
			}
		}
	}

	@Test
	void answersPipelinedRequestsInOrder() throws IOException {
		int port = start(ECHO);
		try (RawClient client = new RawClient(port)) {
			client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Type: "
					+ "application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\nk=vGET /c?q=1 HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(client.read().text()).isEqualTo("GET /a\n");
			assertThat(client.read().text()).isEqualTo("POST /b\nfield k=[v]\n");
			assertThat(client.read().text()).isEqualTo("GET /c\nquery q=[1]\n");
		}
	}

	@Test
	void http10ConnectionClosesAfterTheResponse() throws IOException {
		int port = start(ECHO);
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client.send("GET /hello HTTP/1.0\r\n\r\n").read();
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.header("Connection")).isEqualTo("close");
			assertThat(client.isClosedByServer()).isTrue();
		}
	}

	@Test
	void http10KeepAliveIsHonoured() throws IOException {
		int port = start(ECHO);
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
			assertThat(reply.header("Connection")).isEqualTo("keep-alive");
			assertThat(client.send("GET /hello HTTP/1.0\r\n\r\n").read().status()).isEqualTo(200);
		}
	}

	@Test
	void connectionCloseIsHonoured() throws IOException {
		int port = start(ECHO);
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
			assertThat(reply.header("Connection")).isEqualTo("close");
			assertThat(client.isClosedByServer()).isTrue();
		}
	}

	@Test
	void headResponseHasLengthButNoBody() throws IOException {
		int port = start(ECHO);
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
			assertThat(reply.header("Content-Length")).isEqualTo("13");
			assertThat(client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("Hello, World!");
		}
	}

	@ParameterizedTest(name = "{0} -> {2}")
	@CsvSource(delimiter = '|', value = {
			"CL.TE smuggling | POST / HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 6\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\nG | 400",
			"TE.TE obfuscated | POST / HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-encoding: x\\r\\n\\r\\n | 400",
			"duplicate Content-Length | POST / HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 1\\r\\nContent-Length: 2\\r\\n\\r\\nab | 400",
			"obs-fold | GET / HTTP/1.1\\r\\nHost: x\\r\\nX: a\\r\\n\\tb\\r\\n\\r\\n | 400",
			"space before colon | GET / HTTP/1.1\\r\\nHost : x\\r\\n\\r\\n | 400",
			"missing Host | GET / HTTP/1.1\\r\\n\\r\\n | 400", "bare LF | GET / HTTP/1.1\\nHost: x\\n\\n | 400",
			"unknown expectation | POST / HTTP/1.1\\r\\nHost: x\\r\\nExpect: magic\\r\\nContent-Length: 1\\r\\n\\r\\nx | 417",
			"HTTP/2 preface | PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n | 505",
			"bad query escape | GET /?a=%zz HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n | 400",
			"bad chunk size | POST / HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n | 400" })
	void refusesBadRequestsAndClosesTheConnection(String attack, String request, int status) throws IOException {
		int port = start(ECHO);
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client.send(request.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t"))
				.read();
			assertThat(reply.status()).isEqualTo(status);
			assertThat(reply.header("Connection")).isEqualTo("close");
			assertThat(client.isClosedByServer()).isTrue();
		}
		try (RawClient other = new RawClient(port)) {
			assertThat(other.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
		}
		awaitTmpEmpty();
	}

	@Test
	void requestLineOverLimitGets414() throws IOException {
		int port = start(ECHO);
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n").read().status())
				.isEqualTo(414);
		}
	}

	@Test
	void headerSectionOverLimitGets431() throws IOException {
		int port = start(ECHO);
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
				.read()
				.status()).isEqualTo(431);
		}
	}

	@Test
	void queryValueOverLimitGets414() throws IOException {
		int port = start(ECHO);
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send("GET /?a=" + "b".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n").read().status())
				.isEqualTo(414);
		}
	}

	@Test
	void decodesQueryParametersInOrder() throws IOException {
		int port = start(ECHO);
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send("GET /q?b=2&a=1&b=x+y&c=%E2%82%AC&d HTTP/1.1\r\nHost: x\r\n\r\n").read().text())
				.isEqualTo("GET /q\nquery b=[2, x y]\nquery a=[1]\nquery c=[\u20ac]\nquery d=[]\n");
		}
	}

	@Test
	void streamsAChunkedResponseWhenTheLengthIsUnknown() throws IOException {
		int port = start((req, res) -> {
			res.contentType("text/plain");
			res.write("one,".getBytes());
			res.write(ByteBuffer.wrap("two,".getBytes()));
			res.write("three".getBytes());
			res.end();
		});
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
			assertThat(reply.header("Transfer-Encoding")).isEqualTo("chunked");
			assertThat(reply.text()).isEqualTo("one,two,three");
			assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("one,two,three");
		}
	}

	@Test
	void sendsAFileWithSendfile() throws IOException {
		Path file = Files.write(this.tmp.resolveSibling(this.tmp.getFileName() + "-served.bin"),
				randomBytes(3_000_000, 5));
		try {
			int port = start((req, res) -> res.contentType("application/octet-stream").sendFile(file));
			try (RawClient client = new RawClient(port)) {
				RawClient.Reply reply = client.send("GET /f HTTP/1.1\r\nHost: x\r\n\r\n").read();
				assertThat(reply.header("Content-Length")).isEqualTo("3000000");
				assertThat(reply.body()).isEqualTo(Files.readAllBytes(file));
			}
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	@Test
	void refusesHeaderInjectionInResponses() throws IOException {
		int port = start((req, res) -> {
			try {
				res.header("X-Evil", "a\r\nSet-Cookie: pwned=1");
				res.send("not refused");
			}
			catch (IllegalArgumentException ex) {
				res.status(500).send("refused");
			}
		});
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
			assertThat(reply.text()).isEqualTo("refused");
			assertThat(reply.header("Set-Cookie")).isNull();
		}
	}

	@Test
	void handlerExceptionGets500AndTheServerGoesOn() throws IOException {
		int port = start((req, res) -> {
			if (req.path().equals("/boom")) {
				throw new IllegalStateException("boom");
			}
			res.send("fine");
		});
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(500);
		}
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("fine");
		}
	}

	@Test
	void worksWithTheJdkHttpClient() throws Exception {
		int port = start(ECHO);
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpResponse<String> hello = client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(hello.statusCode()).isEqualTo(200);
		assertThat(hello.body()).isEqualTo("Hello, World!");
		HttpResponse<String> form = client
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/form?x=1"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("name=J%C3%BCrgen&tag=a&tag=b"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(form.body()).isEqualTo("POST /form\nquery x=[1]\nfield name=[J\u00fcrgen]\nfield tag=[a, b]\n");
	}

	@Test
	void realClientIpComesFromTheHeaderOnlyThroughTrustedProxies() throws IOException {
		Handler ip = (req, res) -> res.send(req.clientIp());
		int trusted = start(options().proxies((p) -> p.withRealIpHeader("X-Real-IP")), ip, null, null);
		int untrusted = start(
				options().proxies(
						(p) -> p.withRealIpHeader("X-Real-IP").withTrustedProxies(java.util.List.of("10.0.0.0/8"))),
				ip, null, null);
		try (RawClient client = new RawClient(trusted)) {
			assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Real-IP: 203.0.113.9\r\n\r\n").read().text())
				.isEqualTo("203.0.113.9");
			assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Real-IP: evil.example\r\n\r\n").read().text())
				.isEqualTo("127.0.0.1");
		}
		try (RawClient client = new RawClient(untrusted)) {
			assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Real-IP: 203.0.113.9\r\n\r\n").read().text())
				.isEqualTo("127.0.0.1");
		}
	}

	static byte[] randomBytes(int n, long seed) {
		byte[] b = new byte[n];
		new java.util.Random(seed).nextBytes(b);
		return b;
	}

	static String ascii(byte[] b) {
		return new String(b, StandardCharsets.ISO_8859_1);
	}

}
