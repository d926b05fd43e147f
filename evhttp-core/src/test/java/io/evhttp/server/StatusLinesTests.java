package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatusLinesTests {

	@Test
	void namesTheVersionTheStatusAndItsReason() {
		assertThat(line(1, 200)).isEqualTo("HTTP/1.1 200 OK\r\n");
		assertThat(line(0, 404)).isEqualTo("HTTP/1.0 404 Not Found\r\n");
		assertThat(line(1, 100)).isEqualTo("HTTP/1.1 100 Continue\r\n");
		assertThat(line(1, 599)).isEqualTo("HTTP/1.1 599 Error\r\n");
	}

	@Test
	void aStatusOutsideTheTableIsStillWritten() {
		assertThat(line(1, 99)).isEqualTo("HTTP/1.1 99 OK\r\n");
		assertThat(line(0, 600)).isEqualTo("HTTP/1.0 600 Error\r\n");
	}

	private static String line(int minorVersion, int status) {
		return new String(StatusLines.of(minorVersion, status), StandardCharsets.ISO_8859_1);
	}

}
