package io.evhttp.server;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header line (RFC 9110 §6.6.1), formatted once per second and shared.
 * Always an IMF-fixdate (§5.6.7): a two-digit day, English names, GMT; Java's
 * {@code RFC_1123_DATE_TIME} writes {@code 1 Dec}, which is not one.
 */
final class HttpDate {

	static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
			Locale.ENGLISH);

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
			String date = IMF_FIXDATE.format(Instant.ofEpochSecond(now).atOffset(ZoneOffset.UTC));
			c = new Cached(now, ("Date: " + date + "\r\n").getBytes(StandardCharsets.US_ASCII));
			cached = c;
		}
		return c.line;
	}

}
