package io.evhttp.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.evhttp.http.HttpException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypeTests {

	@Test
	void readsTypeSubtypeAndParametersInLowerCase() {
		MediaType type = MediaType.parse("Multipart/Form-Data; BOUNDARY=AbC; Charset=\"UTF-8\"");
		assertThat(type.type()).isEqualTo("multipart");
		assertThat(type.subtype()).isEqualTo("form-data");
		assertThat(type.parameters()).containsExactly(java.util.Map.entry("boundary", "AbC"),
				java.util.Map.entry("charset", "UTF-8"));
		assertThat(type.parameter("boundary")).isEqualTo("AbC");
	}

	@Test
	void quotedValuesKeepWhatTheirBackslashesEscape() {
		assertThat(MediaType.parse("multipart/form-data; boundary=\"a\\\"b;c\"").parameter("boundary"))
			.isEqualTo("a\"b;c");
		assertThat(MediaType.parse("multipart/form-data; boundary=\" spaced \"").parameter("boundary"))
			.isEqualTo("spaced");
		assertThat(MediaType.parse("text/plain; boundary=x; boundary=y").parameter("boundary")).isEqualTo("x");
	}

	@ParameterizedTest
	@ValueSource(strings = { "multipart", "/form-data", "multi part/form-data", "text/plain; =x", "text/plain; a b=x",
			"text/plain; \u212Aey=x", "text/plain; boundary=\"x", "text/plain; boundary=\"x\"y" })
	void malformedTypesAreRefusedWith400(String value) {
		assertThatThrownBy(() -> MediaType.parse(value)).isInstanceOfSatisfying(HttpException.class,
				(ex) -> assertThat(ex.status()).isEqualTo(400));
	}

}
