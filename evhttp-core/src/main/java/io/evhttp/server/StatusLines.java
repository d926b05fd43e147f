package io.evhttp.server;

import java.nio.charset.StandardCharsets;

/**
 * Status lines ({@code HTTP/1.1 200 OK\r\n}) as bytes, made once for each status from 100
 * to 599, so an answer copies its first line instead of building it.
 */
final class StatusLines {

	private static final int FIRST = 100;

	private static final byte[][] HTTP_11 = table("HTTP/1.1 ");

	private static final byte[][] HTTP_10 = table("HTTP/1.0 ");

	private StatusLines() {
	}

	/**
	 * The status line of {@code status} in HTTP/1.{@code minorVersion}, CRLF included.
	 */
	static byte[] of(int minorVersion, int status) {
		byte[][] table = (minorVersion == 1) ? HTTP_11 : HTTP_10;
		int index = status - FIRST;
		if (index >= 0 && index < table.length) {
			return table[index];
		}
		return line((minorVersion == 1) ? "HTTP/1.1 " : "HTTP/1.0 ", status);
	}

	private static byte[][] table(String version) {
		byte[][] table = new byte[500][];
		for (int i = 0; i < table.length; i++) {
			table[i] = line(version, FIRST + i);
		}
		return table;
	}

	private static byte[] line(String version, int status) {
		return (version + status + " " + Status.reason(status) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
	}

}
