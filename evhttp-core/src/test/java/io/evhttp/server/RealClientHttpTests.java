package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.http.HttpException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What real clients send and expect of the protocol: absolute-form targets, IMF-fixdate
 * dates, {@code Allow} on 405, and a response nobody reads.
 */
class RealClientHttpTests extends ServerFixture {

	private static final String IMF_FIXDATE = "[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT";

	/** Answers the path, the host and the query it was asked for. */
	private static final Handler WHERE = (req, res) -> res
		.send(req.method() + " " + req.path() + " " + req.host() + " " + req.query());

	@Test
	void absoluteFormTargetIsRoutedOnItsPathAndItsHostOverridesHost() throws IOException {
		int port = start(WHERE);
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client
				.send("GET http://localhost:8090/hello?a=1 HTTP/1.1\r\nHost: elsewhere\r\n\r\n")
				.read();
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.text()).isEqualTo("GET /hello localhost:8090 {a=[1]}");
			assertThat(client.send("GET HTTP://Example.org HTTP/1.1\r\nHost: x\r\n\r\n").read().text())
				.isEqualTo("GET / Example.org {}");
		}
	}

	@Test
	void absoluteFormUploadIsReceivedLikeAnOriginFormOne() throws IOException {
		int port = start(ECHO);
		byte[] body = new Multipart().field("title", "hi")
			.file("f", "a.txt", "text/plain", "abc".getBytes(StandardCharsets.US_ASCII))
			.build();
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client.send(Multipart.request("http://localhost/upload", body, "")).read();
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.text()).startsWith("POST /upload\nfield title=[hi]\nfile f a.txt text/plain 3 ");
		}
		awaitTmpEmpty();
	}

	@Test
	void asteriskFormIsServedForOptions() throws IOException {
		int port = start(WHERE);
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("OPTIONS * x {}");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "hello", "*", "http://user@evil.example/hello", "http:///hello", "ftp://x/hello",
			"/hello#frag" })
	void targetInNoFormOfRfc9112IsRefusedWith400(String target) throws IOException {
		int port = start(WHERE);
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
			assertThat(reply.status()).isEqualTo(400);
			assertThat(client.isClosedByServer()).isTrue();
		}
	}

	@Test
	void dateIsAnImfFixdateOnAnswersAndOnRefusals() throws IOException {
		int port = start(ECHO);
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().header("Date"))
				.matches(IMF_FIXDATE);
			RawClient.Reply refused = client.send("GET /hello HTTP/1.1\r\n\r\n").read();
			assertThat(refused.status()).isEqualTo(400);
			assertThat(refused.header("Date")).matches(IMF_FIXDATE);
		}
	}

	@Test
	void methodNotAllowedCarriesAllowFromAHandlerAndFromAdmission() throws IOException {
		UploadListener admission = new UploadListener() {
			@Override
			public void onHead(Request request) {
				if (request.method().equals("PUT")) {
					throw HttpException.methodNotAllowed(List.of("GET", "POST"));
				}
			}
		};
		int port = start(options(), (req, res) -> {
			throw HttpException.methodNotAllowed(List.of("GET", "HEAD"));
		}, admission, null);
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client.send("DELETE /x HTTP/1.1\r\nHost: x\r\n\r\n").read();
			assertThat(reply.status()).isEqualTo(405);
			assertThat(reply.header("Allow")).isEqualTo("GET, HEAD");
		}
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client.send("PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n").read();
			assertThat(reply.status()).isEqualTo(405);
			assertThat(reply.header("Allow")).isEqualTo("GET, POST");
		}
	}

	/**
	 * slowhttptest's slow read: the client keeps taking a few bytes, so the response
	 * never stalls for the whole timeout; the minimum response rate ends it.
	 */
	@Test
	void clientReadingItsResponseAtATrickleIsDisconnected() throws Exception {
		int port = start(
				options()
					.timeouts((t) -> t.withTimeout(Duration.ofSeconds(30)).withBodyRateGrace(Duration.ofSeconds(1))),
				(req, res) -> res.send(new byte[8 * 1024 * 1024]), null, null);
		try (Socket slow = new Socket()) {
			slow.setReceiveBufferSize(4096);
			slow.connect(new java.net.InetSocketAddress("127.0.0.1", port));
			slow.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			InputStream in = slow.getInputStream();
			CompletableFuture<Long> taken = CompletableFuture.supplyAsync(() -> trickle(in));
			await().atMost(Duration.ofSeconds(15)).until(() -> lastServer().connectionCount() == 0);
			assertThat(taken.get()).isLessThan(8 * 1024 * 1024);
		}
		try (RawClient other = new RawClient(port)) {
			assertThat(other.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).hasSize(8 * 1024 * 1024);
		}
	}

	/** Reads 16 bytes every 100 ms (160 B/s) until the server closes; the bytes taken. */
	private static long trickle(InputStream in) {
		long taken = 0;
		byte[] buf = new byte[16];
		try {
			int n;
			while ((n = in.read(buf)) > 0) {
				taken += n;
				Thread.sleep(100); // the attack's pace: load generation, not
									// synchronisation
			}
		}
		catch (IOException ex) {
			// reset by the server
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return taken;
	}

}
