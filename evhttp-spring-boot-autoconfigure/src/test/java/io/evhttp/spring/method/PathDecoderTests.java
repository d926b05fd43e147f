package io.evhttp.spring.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.evhttp.http.HttpException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 3986 percent-decoding of paths, strict about what it refuses. */
class PathDecoderTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "/files/plain|/files/plain", "/a%20b|/a b", "/a+b|/a+b",
			"/%C3%A4%e2%82%AC|/ä€", "/%25|/%", "/%3B%3f|/;?", "/..a/b..|/..a/b..", "/.x|/.x" })
	void decodesEscapesAsUtf8(String raw, String decoded) {
		assertThat(PathDecoder.decode(raw)).isEqualTo(decoded);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/a%2Fb", "/a%2fb", "/a%", "/a%2", "/a%zz", "/a%G0", "/%C3", "/%C3%28", "/%FF",
			"/%ED%A0%80", "/..", "/a/../b", "/a/./b", "/a/.", "/%2e%2e/x", "/%2E." })
	void refusesMalformedEscapesEncodedSlashesAndNonUtf8With400(String raw) {
		assertThatExceptionOfType(HttpException.class).isThrownBy(() -> PathDecoder.decode(raw))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(400));
	}

}
