package io.evhttp.internal.http;

import java.nio.charset.StandardCharsets;

/**
 * Shares the String of well-known field names. The spelling received is kept when it
 * differs in case only from a known one, so logs show what the client sent.
 */
final class HeaderNames {

	private static final String[] COMMON = { "Host", "User-Agent", "Accept", "Content-Length", "Content-Type",
			"Connection", "Transfer-Encoding", "Expect", "Accept-Encoding", "Accept-Language", "Cookie", "Origin",
			"Referer", "Cache-Control", "X-Real-IP", "X-Forwarded-For", "Pragma" };

	private static final byte[][] COMMON_BYTES = new byte[COMMON.length][];

	static {
		for (int i = 0; i < COMMON.length; i++) {
			COMMON_BYTES[i] = COMMON[i].getBytes(StandardCharsets.US_ASCII);
		}
	}

	private HeaderNames() {
	}

	static String intern(byte[] a, int off, int len) {
		for (int i = 0; i < COMMON_BYTES.length; i++) {
			if (ByteStrings.equals(COMMON_BYTES[i], a, off, len, false)) {
				return COMMON[i];
			}
		}
		return new String(a, off, len, StandardCharsets.US_ASCII);
	}

}
