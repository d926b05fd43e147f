package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.http.HttpException;
import io.evhttp.multipart.MultipartLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Multipart bodies as real clients write them, over a socket: escaped file names, part
 * types that are not media types, folded part headers, and a body that never holds its
 * boundary. Bodies are the clients' bytes; only the boundary is ours.
 */
class RealClientMultipartTests extends ServerFixture {

	private static final String B = Multipart.BOUNDARY;

	/**
	 * {@code curl --form-escape -F 'f=@say "hi".txt' -F 'g=@a\b.txt'} (Spring's
	 * {@code FormHttpMessageConverter}, Go's {@code mime/multipart}, aiohttp and Perl LWP
	 * escape the same way), then an old browser's raw Windows paths and a browser's
	 * {@code %22}.
	 */
	@Test
	void escapedQuotesAndBackslashesInFilenamesAreDecodedAndRawPathsKept() throws Exception {
		int port = start(ECHO);
		String body = """
				--%1$s\r
				Content-Disposition: form-data; name="f"; filename="say \\"hi\\".txt"\r
				Content-Type: text/plain\r
				\r
				hi\r
				--%1$s\r
				Content-Disposition: form-data; name="g"; filename="a\\\\b.txt"\r
				Content-Type: text/plain\r
				\r
				x\r
				--%1$s\r
				Content-Disposition: form-data; name="w"; filename="C:\\Users\\me\\a.txt"\r
				\r
				w\r
				--%1$s\r
				Content-Disposition: form-data; name="u"; filename="\\\\server\\share\\x.doc"\r
				\r
				u\r
				--%1$s\r
				Content-Disposition: form-data; name="p"; filename="say %%22hi%%22.txt"\r
				\r
				p\r
				--%1$s--\r
				""".formatted(B);
		RawClient.Reply reply = post(port, body);
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.text()).contains("file f say \"hi\".txt text/plain 2 " + sha256("hi"),
				"file g a\\b.txt text/plain 1 " + sha256("x"), "file w C:\\Users\\me\\a.txt text/plain 1 ",
				"file u \\\\server\\share\\x.doc text/plain 1 ", "file p say %22hi%22.txt text/plain 1 ");
		awaitTmpEmpty();
		assertStillServing(port);
	}

	/**
	 * {@code curl -F 'p=@a.txt;type="text/plain; charset=utf-8"'} puts the quotes on the
	 * wire; any odd type is kept as sent and the upload goes through.
	 */
	@Test
	void partTypeThatIsNoMediaTypeIsKeptAsSentAndTheUploadSucceeds() throws Exception {
		int port = start(ECHO);
		String body = """
				--%1$s\r
				Content-Disposition: form-data; name="p"; filename="a.txt"\r
				Content-Type: "text/plain; charset=utf-8"\r
				\r
				x\r
				--%1$s\r
				Content-Disposition: form-data; name="q"; filename="b.bin"\r
				Content-Type: garbage\r
				\r
				y\r
				--%1$s\r
				Content-Disposition: form-data; name="c"\r
				Content-Type: garbage\r
				\r
				caf\u00e9\r
				--%1$s--\r
				""".formatted(B);
		RawClient.Reply reply = post(port, body);
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.text()).contains("field c=[caf\u00e9]",
				"file p a.txt \"text/plain; charset=utf-8\" 1 " + sha256("x"), "file q b.bin garbage 1 " + sha256("y"));
		awaitTmpEmpty();
		assertStillServing(port);
	}

	/** RFC 5322 §2.2.3 folding, as Apache Commons FileUpload accepts (FILEUPLOAD-111). */
	@Test
	void foldedPartHeadersAreUnfolded() throws Exception {
		int port = start(ECHO);
		String body = """
				--%1$s\r
				Content-Disposition: form-data;\r
				 name="doc";\r
				\tfilename="report.csv"\r
				Content-Type:\r
				 text/csv\r
				\r
				a,b\r
				--%1$s\r
				Content-Disposition: form-data;\r
				  name="title"\r
				\r
				folded\r
				--%1$s--\r
				""".formatted(B);
		RawClient.Reply reply = post(port, body);
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.text()).contains("field title=[folded]", "file doc report.csv text/csv 3 " + sha256("a,b"));
		awaitTmpEmpty();
		assertStillServing(port);
	}

	/**
	 * 50 MB that never hold the boundary: refused once the preamble limit is crossed, not
	 * read to the end. The read buffer is the smallest allowed, so the bytes read at the
	 * refusal say where the parser stopped.
	 */
	@Test
	void bodyWithoutItsBoundaryIsRefusedWith400AfterItsPreamble() throws Exception {
		CompletableFuture<HttpException> failure = new CompletableFuture<>();
		CompletableFuture<Long> bodyBytesAtFailure = new CompletableFuture<>();
		UploadListener uploads = new UploadListener() {
			@Override
			public void onError(Request request, HttpException reason) {
				bodyBytesAtFailure.complete(request.bytesReceived());
				failure.complete(reason);
			}
		};
		int port = start(options().network((n) -> n.withReadBufferBytes(4096)), ECHO, uploads, null);
		long size = 50_000_000;
		byte[] chunk = new byte[64 * 1024];
		Arrays.fill(chunk, (byte) 'x');
		try (RawClient client = new RawClient(port)) {
			client.send("POST /up HTTP/1.1\r\nHost: test\r\nContent-Type: " + Multipart.contentType()
					+ "\r\nContent-Length: " + size + "\r\n\r\n");
			OutputStream out = client.socket().getOutputStream();
			CompletableFuture<Long> written = CompletableFuture.supplyAsync(() -> {
				long n = 0;
				try {
					while (n < size) {
						int len = (int) Math.min(chunk.length, size - n);
						out.write(chunk, 0, len);
						n += len;
					}
				}
				catch (IOException ex) {
					// the server answered and closed
				}
				return n;
			});
			RawClient.Reply reply = client.read();
			assertThat(reply.status()).isEqualTo(400);
			assertThat(written.get(30, TimeUnit.SECONDS)).isLessThan(size);
		}
		assertThat(failure.get(10, TimeUnit.SECONDS).status()).isEqualTo(400);
		assertThat(bodyBytesAtFailure.get()).isLessThanOrEqualTo(MultipartLimits.DEFAULT_MAX_PREAMBLE_BYTES + 2 * 4096);
		assertThat(lastServer().stats().bytesReceived()).isLessThan(size / 5);
		awaitTmpEmpty();
		assertStillServing(port);
	}

	private static RawClient.Reply post(int port, String body) throws IOException {
		try (RawClient client = new RawClient(port)) {
			client.send(Multipart.request("/up", body.getBytes(StandardCharsets.UTF_8), ""));
			return client.read();
		}
	}

	private static void assertStillServing(int port) throws IOException {
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read();
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.text()).isEqualTo("Hello, World!");
		}
	}

	private static String sha256(String text) throws Exception {
		return UploadServerTests.sha256(text.getBytes(StandardCharsets.UTF_8));
	}

}
