package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AsciiBuilderTests {

	@Test
	void numbersAreWrittenInDecimal() {
		AsciiBuilder out = new AsciiBuilder(4);
		out.append(0).append(" ").append(7).append(" ").append(10).append(" ").append(1234567890123L).append(" ");
		out.append(Long.MAX_VALUE).append(" ").append(-5).crlf();
		ByteBuffer buf = out.toBuffer();
		assertThat(StandardCharsets.US_ASCII.decode(buf).toString())
			.isEqualTo("0 7 10 1234567890123 " + Long.MAX_VALUE + " -5\r\n");
	}

}
