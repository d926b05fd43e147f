package io.evhttp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.http.HeadLimits;
import io.evhttp.http.HttpException;
import io.evhttp.internal.http.BodyFraming;
import io.evhttp.internal.http.HeadParser;
import io.evhttp.internal.http.RequestHead;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Feeds the same random valid and mutated request heads to evhttp's parser and to Netty's
 * {@link HttpRequestDecoder} in strict mode. Where they disagree, RFC 9112 decides, and
 * each kind of disagreement found is listed below with its reason; any other is a
 * failure.
 */
class NettyDifferentialTests {

	/** Disagreements where evhttp is stricter, each allowed by RFC 9112. */
	private static final Map<String, Predicate<String>> EVHTTP_STRICTER = Map.of(
			"obs-fold: a server MUST reject it or replace it with SP (§5.2); we reject",
			(h) -> h.contains("\r\n ") || h.contains("\r\n\t"),
			"whitespace between name and colon MUST be rejected with 400 (§5.1)",
			(h) -> h.matches("(?s).*\\r\\n[^\\r\\n:]*[ \\t]+:.*"),
			"HTTP versions other than 1.0 and 1.1 get 505 (RFC 9110 §15.6.6)",
			(h) -> !h.contains(" HTTP/1.1\r\n") && !h.contains(" HTTP/1.0\r\n"),
			"control bytes in field values are invalid (RFC 9110 §5.5); we refuse them",
			(h) -> h.chars().anyMatch((c) -> (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F),
			"a request target must be visible ASCII (§3.2); we refuse bytes above 0x7E",
			(h) -> h.substring(0, h.indexOf("\r\n") < 0 ? h.length() : h.indexOf("\r\n"))
				.chars()
				.anyMatch((c) -> c > 0x7E),
			"method and field names are tokens (RFC 9110 §5.6.2); we refuse other bytes",
			NettyDifferentialTests::hasNonTokenName,
			"request-line parts are separated by one SP (§3); lenient whitespace is a MAY we decline (smuggling)",
			(h) -> !firstLine(h).matches("[^ \\t\\r]+ [^ \\t\\r]+ [^ \\t\\r]+"),
			"HTTP/1.1 needs exactly one Host (§3.2: MUST answer 400); Netty's decoder does not check it",
			(h) -> h.contains(" HTTP/1.1\r\n") && countHeader(h, "host") != 1,
			"Content-Length with Transfer-Encoding may be refused (§6.1), and is, against smuggling",
			(h) -> countHeader(h, "content-length") > 0 && countHeader(h, "transfer-encoding") > 0);

	private static final String[] SEEDS = { "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n",
			"POST /upload?x=1 HTTP/1.1\r\nHost: localhost:8090\r\nContent-Type: multipart/form-data; boundary=b\r\n"
					+ "Content-Length: 10\r\nCookie: a=1; b=2\r\n\r\n",
			"PUT /f HTTP/1.0\r\nConnection: keep-alive\r\nX-Empty:\r\nX-Tab:\tv\t\r\n\r\n",
			"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n" };

	private static final String MUTATIONS = " \t:\r\n\0\u0001\u007f\u00e9/?=;\"HTTP1.20aZ";

	@Test
	void agreesWithNettyOrIsStricterForAReason() {
		Random random = new Random(2026);
		int agreed = 0;
		List<String> unexplained = new ArrayList<>();
		for (int i = 0; i < 5000; i++) {
			String head = mutate(SEEDS[random.nextInt(SEEDS.length)], random, random.nextInt(4));
			String ours = evhttp(head);
			String netty = netty(head);
			if (ours.equals(netty) || (ours.startsWith("refused") && netty.startsWith("refused"))) {
				agreed++;
			}
			else if (!explained(head, ours, netty)) {
				unexplained.add(printable(head) + "  evhttp=" + ours + "  netty=" + netty);
			}
		}
		assertThat(unexplained).as("disagreements no RFC rule explains").isEmpty();
		assertThat(agreed).isGreaterThan(1000);
	}

	/**
	 * Only disagreements where evhttp refuses and a rule above says why are explained.
	 */
	private static boolean explained(String head, String ours, String netty) {
		return ours.startsWith("refused") && !netty.startsWith("refused")
				&& EVHTTP_STRICTER.values().stream().anyMatch((rule) -> rule.test(head));
	}

	private static String firstLine(String head) {
		int crlf = head.indexOf("\r\n");
		return (crlf < 0) ? head : head.substring(0, crlf);
	}

	private static int countHeader(String head, String name) {
		int count = 0;
		for (String line : head.split("\r\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
				count++;
			}
		}
		return count;
	}

	private static boolean hasNonTokenName(String head) {
		String[] lines = head.split("\r\n", -1);
		String method = lines[0].contains(" ") ? lines[0].substring(0, lines[0].indexOf(' ')) : lines[0];
		if (!io.evhttp.internal.http.Tokens.isToken(method)) {
			return true;
		}
		for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
			int colon = lines[i].indexOf(':');
			if (colon < 0 || !io.evhttp.internal.http.Tokens.isToken(lines[i].substring(0, colon))) {
				return true;
			}
		}
		return false;
	}

	private static String mutate(String seed, Random random, int count) {
		StringBuilder sb = new StringBuilder(seed);
		for (int i = 0; i < count; i++) {
			int at = random.nextInt(sb.length() - 3);
			char c = MUTATIONS.charAt(random.nextInt(MUTATIONS.length()));
			switch (random.nextInt(3)) {
				case 0 -> sb.insert(at, c);
				case 1 -> sb.setCharAt(at, c);
				default -> sb.deleteCharAt(at);
			}
		}
		if (!sb.toString().endsWith("\r\n\r\n")) {
			sb.append("\r\n\r\n");
		}
		return sb.toString();
	}

	/**
	 * Outcome of evhttp's head parser and framing rules, as the connection applies them.
	 */
	private static String evhttp(String head) {
		try {
			RequestHead parsed = new HeadParser(HeadLimits.DEFAULTS)
				.parse(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
			if (parsed == null) {
				return "incomplete";
			}
			BodyFraming.of(parsed);
			return parsed.method() + " " + parsed.target() + " HTTP/1." + parsed.minorVersion();
		}
		catch (HttpException ex) {
			return "refused " + ex.status();
		}
	}

	private static String netty(String head) {
		EmbeddedChannel channel = new EmbeddedChannel(
				new HttpRequestDecoder(new HttpDecoderConfig().setStrictLineParsing(true).setValidateHeaders(true)));
		try {
			channel.writeInbound(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.ISO_8859_1)));
			Object message = channel.readInbound();
			if (!(message instanceof HttpRequest request)) {
				return "incomplete";
			}
			if (request.decoderResult().isFailure()) {
				return "refused";
			}
			return request.method().name() + " " + request.uri() + " " + request.protocolVersion().text();
		}
		finally {
			channel.finishAndReleaseAll();
		}
	}

	private static String printable(String s) {
		return s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t").replace("\0", "\\0");
	}

}
