package io.evhttp.internal.form;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.evhttp.form.FormLimits;
import io.evhttp.http.HttpException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlencodedDecoderTests {

	private static final String INPUT = "a=1&b=x+y&&c=%E2%82%AC%3D&d&=e&eq=x%3Dy&a=2";

	private static final String EXPECTED = "a=1|b=x y|c=\u20ac=|d=|=e|eq=x=y|a=2";

	@Test
	void decodesPlusPercentAndEmptyParts() {
		assertThat(decode(INPUT, new int[0])).isEqualTo(EXPECTED);
	}

	@Test
	void sameResultWhateverTheSplit() {
		byte[] bytes = INPUT.getBytes(StandardCharsets.US_ASCII);
		for (int split = 0; split <= bytes.length; split++) {
			assertThat(decode(INPUT, new int[] { split })).as("split %d", split).isEqualTo(EXPECTED);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "a=%zz", "a=%4", "a=%", "%g0=b", "a=%\u00e9\u00e9" })
	void badEscapeGets400(String input) {
		assertThatThrownBy(() -> decode(input, new int[0])).isInstanceOfSatisfying(HttpException.class,
				(ex) -> assertThat(ex.status()).isEqualTo(400));
	}

	@Test
	void capsGetTheGivenStatus() {
		FormLimits limits = new FormLimits(4, 8, 2);
		assertThatThrownBy(() -> UrlencodedDecoder.decode("abcde=1", limits, 413, (n, v) -> {
		})).isInstanceOfSatisfying(HttpException.class, (ex) -> assertThat(ex.status()).isEqualTo(413));
		assertThatThrownBy(() -> UrlencodedDecoder.decode("a=123456789", limits, 414, (n, v) -> {
		})).isInstanceOfSatisfying(HttpException.class, (ex) -> assertThat(ex.status()).isEqualTo(414));
		assertThatThrownBy(() -> UrlencodedDecoder.decode("a&b&c", limits, 413, (n, v) -> {
		})).isInstanceOfSatisfying(HttpException.class, (ex) -> assertThat(ex.status()).isEqualTo(413));
	}

	@Test
	void cookiesKeepPaddingAndTheFirstOfARepeatedName() {
		Map<String, String> cookies = Cookies.parse(List.of("token=dGVzdA==; id=\"7\"", "id=8;lang=en"));
		assertThat(cookies).containsExactly(Map.entry("token", "dGVzdA=="), Map.entry("id", "7"),
				Map.entry("lang", "en"));
	}

	private static String decode(String input, int[] splits) {
		List<String> pairs = new ArrayList<>();
		UrlencodedDecoder decoder = new UrlencodedDecoder(FormLimits.BODY_DEFAULTS, 413, StandardCharsets.UTF_8,
				(n, v) -> pairs.add(n + "=" + v));
		byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
		int pos = 0;
		for (int split : splits) {
			decoder.decode(ByteBuffer.wrap(bytes, pos, split - pos));
			pos = split;
		}
		decoder.decode(ByteBuffer.wrap(bytes, pos, bytes.length - pos));
		decoder.finish();
		return String.join("|", pairs);
	}

}
