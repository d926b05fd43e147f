package io.evhttp.internal.http;

import java.nio.charset.StandardCharsets;

/** Shares the String of common methods instead of allocating one per request. */
final class Methods {

	private static final String[] COMMON = { "GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS", "PATCH" };

	private static final byte[][] COMMON_BYTES = new byte[COMMON.length][];

	static {
		for (int i = 0; i < COMMON.length; i++) {
			COMMON_BYTES[i] = COMMON[i].getBytes(StandardCharsets.US_ASCII);
		}
	}

	private Methods() {
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
