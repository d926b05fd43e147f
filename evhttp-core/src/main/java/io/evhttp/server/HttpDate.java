package io.evhttp.server;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@code Date} header line (RFC 9110 §6.6.1), formatted once per second and shared.
 */
final class HttpDate {

	private record Cached(long second, byte[] line) {
	}

	private static volatile Cached cached = new Cached(-1, new byte[0]);

	private HttpDate() {
	}

	/** {@code Date: ...\r\n} for the current second. */
	static byte[] line() {
		long now = System.currentTimeMillis() / 1000;
		Cached c = cached;
		if (c.second != now) {
			String date = DateTimeFormatter.RFC_1123_DATE_TIME
				.format(Instant.ofEpochSecond(now).atOffset(ZoneOffset.UTC));
			c = new Cached(now, ("Date: " + date + "\r\n").getBytes(StandardCharsets.US_ASCII));
			cached = c;
		}
		return c.line;
	}

}
