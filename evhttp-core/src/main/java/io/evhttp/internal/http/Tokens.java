package io.evhttp.internal.http;

/**
 * Character classes of RFC 9110 §5.6 and small helpers over comma-separated token lists.
 */
public final class Tokens {

	private static final boolean[] TCHAR = new boolean[256];

	static {
		for (char c = '0'; c <= '9'; c++) {
			TCHAR[c] = true;
		}
		for (char c = 'a'; c <= 'z'; c++) {
			TCHAR[c] = true;
			TCHAR[c - 32] = true;
		}
		for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
			TCHAR[c] = true;
		}
	}

	private Tokens() {
	}

	/** Whether the byte is a {@code tchar}. */
	public static boolean isTchar(int b) {
		return TCHAR[b & 0xFF];
	}

	/** Whether the string is a non-empty {@code token}. */
	public static boolean isToken(String s) {
		if (s.isEmpty()) {
			return false;
		}
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c > 0xFF || !TCHAR[c]) {
				return false;
			}
		}
		return true;
	}

	/** Whether a comma-separated list holds the token, compared case-insensitively. */
	public static boolean containsToken(String list, String token) {
		int start = 0;
		while (start <= list.length()) {
			int comma = list.indexOf(',', start);
			int end = (comma < 0) ? list.length() : comma;
			if (list.substring(start, end).trim().equalsIgnoreCase(token)) {
				return true;
			}
			if (comma < 0) {
				return false;
			}
			start = comma + 1;
		}
		return false;
	}

}
