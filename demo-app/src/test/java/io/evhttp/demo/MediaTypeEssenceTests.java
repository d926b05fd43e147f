package io.evhttp.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.evhttp.http.HttpException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypeEssenceTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			value = { "multipart/form-data; boundary=XyZ | multipart/form-data",
					"Multipart/Form-Data;boundary=\"a;b\" | multipart/form-data",
					"  application/x-www-form-urlencoded  | application/x-www-form-urlencoded",
					"application/json ; charset=utf-8 | application/json", "text/vnd.a+b | text/vnd.a+b" })
	void theEssenceIsTypeAndSubtypeInLowerCase(String contentType, String essence) {
		assertThat(EchoHandler.essence(contentType)).isEqualTo(essence);
	}

	@ParameterizedTest(name = "\"{0}\"")
	@ValueSource(strings = { "json", "/json", "application/", "multipart /form-data", "multipart/ form-data",
			"multi part/form-data", "text/plain/x", "", "; boundary=x", "multipart/form-data\u00e9" })
	void anythingElseIsABadRequest(String contentType) {
		assertThatExceptionOfType(HttpException.class).isThrownBy(() -> EchoHandler.essence(contentType))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(400));
	}

}
