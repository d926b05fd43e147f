package io.evhttp.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.evhttp.http.HeadLimits;
import io.evhttp.http.HttpException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeadParserTests {

	private static final String GET = "GET /upload?a=1&b=%20 HTTP/1.1\r\nHost: example.com\r\n"
			+ "User-Agent: test\r\nX-Empty:\r\nX-Spaces:   padded value \t\r\n\r\n";

	@Test
	void parsesRequestLineAndHeaders() {
		RequestHead head = parseWhole(GET);
		assertThat(head.method()).isEqualTo("GET");
		assertThat(head.target()).isEqualTo("/upload?a=1&b=%20");
		assertThat(head.minorVersion()).isEqualTo(1);
		assertThat(head.headers().get("host")).isEqualTo("example.com");
		assertThat(head.headers().get("X-Empty")).isEmpty();
		assertThat(head.headers().get("x-spaces")).isEqualTo("padded value");
		assertThat(head.keepAlive()).isTrue();
	}

	@Test
	void sameResultWhateverTheSplit() {
		String expected = describe(parseWhole(GET));
		byte[] bytes = GET.getBytes(StandardCharsets.ISO_8859_1);
		for (int split = 0; split <= bytes.length; split++) {
			HeadParser parser = new HeadParser(HeadLimits.DEFAULTS);
			RequestHead head = parser.parse(ByteBuffer.wrap(bytes, 0, split));
			if (head == null) {
				head = parser.parse(ByteBuffer.wrap(bytes, split, bytes.length - split));
			}
			assertThat(head).as("split at %d", split).isNotNull();
			assertThat(describe(head)).as("split at %d", split).isEqualTo(expected);
		}
	}

	@Test
	void sameResultOneByteAtATimeAndInRandomPieces() {
		String expected = describe(parseWhole(GET));
		byte[] bytes = GET.getBytes(StandardCharsets.ISO_8859_1);
		Random random = new Random(42);
		for (int round = 0; round < 200; round++) {
			HeadParser parser = new HeadParser(HeadLimits.DEFAULTS);
			RequestHead head = null;
			int pos = 0;
			while (head == null) {
				int n = (round == 0) ? 1 : 1 + random.nextInt(12);
				n = Math.min(n, bytes.length - pos);
				ByteBuffer piece = ByteBuffer.wrap(bytes, pos, n);
				head = parser.parse(piece);
				assertThat(piece.hasRemaining()).isFalse();
				pos += n;
			}
			assertThat(pos).isEqualTo(bytes.length);
			assertThat(describe(head)).isEqualTo(expected);
		}
	}

	@Test
	void leavesBodyAndPipelinedRequestsInTheBuffer() {
		String two = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\nHost: h\r\n\r\n";
		ByteBuffer buf = ByteBuffer.wrap(two.getBytes(StandardCharsets.ISO_8859_1));
		HeadParser parser = new HeadParser(HeadLimits.DEFAULTS);
		RequestHead first = parser.parse(buf);
		assertThat(first.target()).isEqualTo("/a");
		byte[] body = new byte[3];
		buf.get(body);
		assertThat(new String(body, StandardCharsets.US_ASCII)).isEqualTo("abc");
		parser.reset();
		RequestHead second = parser.parse(buf);
		assertThat(second.target()).isEqualTo("/b");
		assertThat(buf.hasRemaining()).isFalse();
	}

	@Test
	void ignoresEmptyLinesBeforeTheRequestLine() {
		assertThat(parseWhole("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n").target()).isEqualTo("/");
	}

	@Test
	void http10ClosesUnlessKeepAliveAsked() {
		assertThat(parseWhole("GET / HTTP/1.0\r\n\r\n").keepAlive()).isFalse();
		assertThat(parseWhole("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive()).isTrue();
		assertThat(parseWhole("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").keepAlive()).isFalse();
	}

	@ParameterizedTest(name = "{0} -> {2}")
	@CsvSource(delimiter = '|', value = { "bare LF ends a line | GET / HTTP/1.1\\nHost: h\\r\\n\\r\\n | 400",
			"bare LF in a header | GET / HTTP/1.1\\r\\nHost: h\\n\\r\\n | 400",
			"obs-fold | GET / HTTP/1.1\\r\\nHost: h\\r\\nX-A: a\\r\\n b\\r\\n\\r\\n | 400",
			"space before colon | GET / HTTP/1.1\\r\\nHost : h\\r\\n\\r\\n | 400",
			"NUL in a value | GET / HTTP/1.1\\r\\nHost: h\\u0000x\\r\\n\\r\\n | 400",
			"bare CR in a value | GET / HTTP/1.1\\r\\nHost: h\\rx\\r\\n\\r\\n | 400",
			"control byte in a value | GET / HTTP/1.1\\r\\nHost: h\\u0001\\r\\n\\r\\n | 400",
			"empty header name | GET / HTTP/1.1\\r\\n: x\\r\\n\\r\\n | 400",
			"no colon | GET / HTTP/1.1\\r\\nHost\\r\\n\\r\\n | 400",
			"two spaces in request line | GET  / HTTP/1.1\\r\\n\\r\\n | 400",
			"space in target | GET /a b HTTP/1.1\\r\\n\\r\\n | 400", "missing version | GET /\\r\\n\\r\\n | 400",
			"lower-case version | GET / http/1.1\\r\\n\\r\\n | 400", "HTTP/2.0 | GET / HTTP/2.0\\r\\n\\r\\n | 505",
			"HTTP/1.2 | GET / HTTP/1.2\\r\\n\\r\\n | 505", "method with a slash | G/T / HTTP/1.1\\r\\n\\r\\n | 400",
			"non-ASCII in target | GET /\\u00e9 HTTP/1.1\\r\\n\\r\\n | 400" })
	void refusesMalformedHeads(String attack, String input, int status) {
		String unescaped = input.replace("\\r", "\r")
			.replace("\\n", "\n")
			.replace("\\u0000", "\0")
			.replace("\\u0001", "\u0001")
			.replace("\\u00e9", "\u00e9");
		assertThatThrownBy(() -> parseWhole(unescaped)).isInstanceOf(HttpException.class)
			.satisfies((ex) -> assertThat(((HttpException) ex).status()).isEqualTo(status));
	}

	@Test
	void requestLineOverLimitIsRefusedWith414EvenBeforeItEnds() {
		HeadParser parser = new HeadParser(new HeadLimits(64, 1024, 10));
		ByteBuffer start = ascii("GET /" + "a".repeat(100));
		assertThatThrownBy(() -> parser.parse(start)).isInstanceOfSatisfying(HttpException.class,
				(ex) -> assertThat(ex.status()).isEqualTo(414));
	}

	@Test
	void headerSectionOverLimitIsRefusedWith431EvenBeforeItEnds() {
		HeadParser parser = new HeadParser(new HeadLimits(64, 100, 10));
		assertThat(parser.parse(ascii("GET / HTTP/1.1\r\nX-A: "))).isNull();
		assertThatThrownBy(() -> parser.parse(ascii("b".repeat(200)))).isInstanceOfSatisfying(HttpException.class,
				(ex) -> assertThat(ex.status()).isEqualTo(431));
	}

	@Test
	void tooManyHeaderFieldsAreRefusedWith431() {
		StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\n");
		for (int i = 0; i < 11; i++) {
			sb.append("X-").append(i).append(": v\r\n");
		}
		HeadParser parser = new HeadParser(new HeadLimits(64, 4096, 10));
		assertThatThrownBy(() -> parser.parse(ascii(sb.append("\r\n").toString())))
			.isInstanceOfSatisfying(HttpException.class, (ex) -> assertThat(ex.status()).isEqualTo(431));
	}

	@Test
	void keepsRepeatedFieldsInOrder() {
		RequestHead head = parseWhole("GET / HTTP/1.1\r\nHost: h\r\nCookie: a=1\r\ncookie: b=2\r\n\r\n");
		assertThat(head.headers().all("COOKIE")).containsExactly("a=1", "b=2");
		assertThat(head.headers().names()).containsExactly("Host", "Cookie", "cookie");
	}

	@Test
	void keepsObsTextInValues() {
		RequestHead head = parseWhole("GET / HTTP/1.1\r\nHost: h\r\nX-Latin: caf\u00e9\r\n\r\n");
		assertThat(head.headers().get("X-Latin")).isEqualTo("caf\u00e9");
	}

	private static RequestHead parseWhole(String text) {
		HeadParser parser = new HeadParser(HeadLimits.DEFAULTS);
		RequestHead head = parser.parse(ascii(text));
		assertThat(head).isNotNull();
		return head;
	}

	private static ByteBuffer ascii(String s) {
		return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
	}

	private static String describe(RequestHead head) {
		List<String> parts = new ArrayList<>();
		parts.add(head.method() + " " + head.target() + " 1." + head.minorVersion());
		for (int i = 0; i < head.headers().size(); i++) {
			parts.add(head.headers().name(i) + "=" + head.headers().value(i));
		}
		return String.join("|", parts);
	}

}
