package io.evhttp.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.evhttp.http.HeadLimits;
import io.evhttp.http.HttpException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Framing rules against request smuggling (RFC 9112 §6.1, §6.3; see
 * https://portswigger.net/web-security/request-smuggling).
 */
class BodyFramingTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			value = { "no body | Host: h | NONE | 0", "zero length | Host: h\\r\\nContent-Length: 0 | NONE | 0",
					"length | Host: h\\r\\nContent-Length: 42 | LENGTH | 42",
					"same length twice | Host: h\\r\\nContent-Length: 42\\r\\nContent-Length: 42 | LENGTH | 42",
					"same length listed | Host: h\\r\\nContent-Length: 42, 42 | LENGTH | 42",
					"chunked | Host: h\\r\\nTransfer-Encoding: chunked | CHUNKED | -1",
					"chunked any case | Host: h\\r\\nTransfer-Encoding: ChUnKeD | CHUNKED | -1" })
	void acceptsUnambiguousFraming(String name, String headers, BodyFraming.Kind kind, long length) {
		BodyFraming framing = BodyFraming.of(head("HTTP/1.1", headers));
		assertThat(framing.kind()).isEqualTo(kind);
		assertThat(framing.length()).isEqualTo(length);
	}

	@ParameterizedTest(name = "{0} -> {2}")
	@CsvSource(delimiter = '|',
			value = { "CL.TE | Host: h\\r\\nContent-Length: 4\\r\\nTransfer-Encoding: chunked | 400",
					"TE.CL | Host: h\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 4 | 400",
					"differing Content-Lengths | Host: h\\r\\nContent-Length: 4\\r\\nContent-Length: 5 | 400",
					"differing listed lengths | Host: h\\r\\nContent-Length: 4, 5 | 400",
					"list ending in a comma | Host: h\\r\\nContent-Length: 4, | 400",
					"list starting with a comma | Host: h\\r\\nContent-Length: ,4 | 400",
					"three listed, the last differing | Host: h\\r\\nContent-Length: 4,4,44 | 400",
					"signed length | Host: h\\r\\nContent-Length: +4 | 400",
					"negative length | Host: h\\r\\nContent-Length: -5 | 400",
					"hex length | Host: h\\r\\nContent-Length: 0x10 | 400",
					"empty length | Host: h\\r\\nContent-Length: | 400",
					"overflowing length | Host: h\\r\\nContent-Length: 99999999999999999999 | 400",
					"TE.TE obfuscated | Host: h\\r\\nTransfer-Encoding: xchunked | 501",
					"chunked not last | Host: h\\r\\nTransfer-Encoding: chunked, gzip | 400",
					"chunked twice | Host: h\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked | 400",
					"gzip then chunked | Host: h\\r\\nTransfer-Encoding: gzip, chunked | 501",
					"empty coding | Host: h\\r\\nTransfer-Encoding: , chunked | 400", "missing Host | X-A: b | 400",
					"two Hosts | Host: a\\r\\nHost: b | 400" })
	void refusesAmbiguousFraming(String attack, String headers, int status) {
		assertThatThrownBy(() -> BodyFraming.of(head("HTTP/1.1", headers))).isInstanceOfSatisfying(HttpException.class,
				(ex) -> assertThat(ex.status()).isEqualTo(status));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "HTTP/1.0 chunked | Transfer-Encoding: chunked" })
	void refusesTransferEncodingInHttp10(String name, String headers) {
		assertThatThrownBy(() -> BodyFraming.of(head("HTTP/1.0", headers))).isInstanceOfSatisfying(HttpException.class,
				(ex) -> assertThat(ex.status()).isEqualTo(400));
	}

	private static RequestHead head(String version, String headers) {
		String text = "POST / " + version + "\r\n" + headers.replace("\\r\\n", "\r\n") + "\r\n\r\n";
		return new HeadParser(HeadLimits.DEFAULTS).parse(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
	}

}
