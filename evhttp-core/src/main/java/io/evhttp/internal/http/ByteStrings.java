package io.evhttp.internal.http;

/** Comparisons of ASCII bytes without creating Strings. */
final class ByteStrings {

	private ByteStrings() {
	}

	/**
	 * Whether {@code a[off, off+len)} equals {@code expected}, optionally ignoring ASCII
	 * case.
	 */
	static boolean equals(byte[] expected, byte[] a, int off, int len, boolean ignoreCase) {
		if (expected.length != len) {
			return false;
		}
		for (int i = 0; i < len; i++) {
			byte x = expected[i];
			byte y = a[off + i];
			if (x != y && !(ignoreCase && lower(x) == lower(y))) {
				return false;
			}
		}
		return true;
	}

	static byte lower(byte b) {
		return (b >= 'A' && b <= 'Z') ? (byte) (b + 32) : b;
	}

}
