package io.evhttp.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.evhttp.http.HttpException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChunkedDecoderTests {

	private static final String BODY = "5\r\nhello\r\n1;ext=\"v\" ; other\r\n \r\nA \r\n0123456789\r\n"
			+ "0\r\nX-Trailer: t\r\nX-Other: o\r\n\r\n";

	@Test
	void decodesDataExtensionsAndTrailersWhateverTheSplit() {
		byte[] bytes = BODY.getBytes(StandardCharsets.ISO_8859_1);
		for (int split = 0; split <= bytes.length; split++) {
			ChunkedDecoder decoder = new ChunkedDecoder(1024);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			feed(decoder, ByteBuffer.wrap(bytes, 0, split), out);
			feed(decoder, ByteBuffer.wrap(bytes, split, bytes.length - split), out);
			assertThat(decoder.isDone()).as("split %d", split).isTrue();
			assertThat(out.toString(StandardCharsets.ISO_8859_1)).as("split %d", split).isEqualTo("hello 0123456789");
		}
	}

	@Test
	void decodesOneByteAtATime() {
		byte[] bytes = BODY.getBytes(StandardCharsets.ISO_8859_1);
		ChunkedDecoder decoder = new ChunkedDecoder(1024);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte b : bytes) {
			feed(decoder, ByteBuffer.wrap(new byte[] { b }), out);
		}
		assertThat(decoder.isDone()).isTrue();
		assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("hello 0123456789");
	}

	@Test
	void stopsAtTheEndOfTheBodyLeavingTheNextRequest() {
		ByteBuffer buf = ByteBuffer.wrap("3\r\nabc\r\n0\r\n\r\nGET /".getBytes(StandardCharsets.ISO_8859_1));
		ChunkedDecoder decoder = new ChunkedDecoder(1024);
		feed(decoder, buf, new ByteArrayOutputStream());
		assertThat(decoder.isDone()).isTrue();
		assertThat(buf.remaining()).isEqualTo(5);
	}

	@ParameterizedTest(name = "{0} -> {2}")
	@CsvSource(delimiter = '|',
			value = { "size overflow | 1000000000000000\\r\\n | 400", "missing size | \\r\\nabc | 400",
					"negative size | -1\\r\\n | 400", "bare LF after size | 3\\nabc\\r\\n0\\r\\n\\r\\n | 400",
					"data longer than size | 3\\r\\nabcd\\r\\n | 400", "no CRLF after data | 3\\r\\nabcXY | 400",
					"control byte in extension | 3;a\\u0001\\r\\n | 400", "junk after size | 3x\\r\\n | 400",
					"bare LF in trailer | 0\\r\\nX: y\\n\\r\\n | 400" })
	void refusesMalformedChunking(String attack, String input, int status) {
		byte[] bytes = input.replace("\\r", "\r")
			.replace("\\n", "\n")
			.replace("\\u0001", "\u0001")
			.getBytes(StandardCharsets.ISO_8859_1);
		ChunkedDecoder decoder = new ChunkedDecoder(1024);
		assertThatThrownBy(() -> feed(decoder, ByteBuffer.wrap(bytes), new ByteArrayOutputStream()))
			.isInstanceOfSatisfying(HttpException.class, (ex) -> assertThat(ex.status()).isEqualTo(status));
	}

	@Test
	void trailersOverLimitAreRefusedWith431() {
		ChunkedDecoder decoder = new ChunkedDecoder(16);
		ByteBuffer buf = ByteBuffer
			.wrap(("0\r\nX-Long: " + "a".repeat(40) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		assertThatThrownBy(() -> feed(decoder, buf, new ByteArrayOutputStream()))
			.isInstanceOfSatisfying(HttpException.class, (ex) -> assertThat(ex.status()).isEqualTo(431));
	}

	@Test
	void leavesChunkDataInPlaceForTheCaller() {
		ByteBuffer buf = ByteBuffer.wrap("4\r\nabcd\r\n2\r\nef".getBytes(StandardCharsets.ISO_8859_1));
		ChunkedDecoder decoder = new ChunkedDecoder(64);
		assertThat(decoder.nextData(buf)).isEqualTo(4);
		assertThat(buf.position()).isEqualTo(3);
		buf.position(7);
		assertThat(decoder.nextData(buf)).isEqualTo(2);
		assertThat(buf.position()).isEqualTo(12);
		buf.position(14);
		assertThat(decoder.nextData(buf)).isZero();
		assertThat(decoder.isDone()).isFalse();
	}

	private static void feed(ChunkedDecoder decoder, ByteBuffer in, ByteArrayOutputStream out) {
		int n;
		while ((n = decoder.nextData(in)) > 0) {
			byte[] b = new byte[n];
			in.get(b);
			out.writeBytes(b);
		}
	}

}
