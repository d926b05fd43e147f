package io.evhttp.internal.http;

import java.util.Locale;

/**
 * Character classes of RFC 9110 §5.6, small helpers over comma-separated token lists, and
 * index helpers that let header-value parsers skip copying what they only look at.
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
		return isToken(s, 0, s.length());
	}

	/** Whether {@code s[from, to)} is a non-empty {@code token}. */
	public static boolean isToken(String s, int from, int to) {
		if (from >= to) {
			return false;
		}
		for (int i = from; i < to; i++) {
			char c = s.charAt(i);
			if (c > 0xFF || !TCHAR[c]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * {@code s[from, to)} in lower case ({@link Locale#ROOT}), given as {@code known}
	 * itself when it is that word: a parameter name parsed for every request then costs
	 * no copy. {@code known} is lower-case ASCII without a {@code k}, so only ASCII
	 * letters can lower-case to it (the Kelvin sign lower-cases to {@code k}); the
	 * comparison is ASCII's, not
	 * {@link String#regionMatches(boolean, int, String, int, int) regionMatches}', which
	 * would take a dotless {@code ı} for an {@code i}.
	 */
	public static String lowerCase(String s, int from, int to, String known) {
		if (to - from == known.length()) {
			int k = 0;
			while (k < known.length()) {
				char c = s.charAt(from + k);
				char lower = known.charAt(k);
				if (c != lower && !(c >= 'A' && c <= 'Z' && c + ('a' - 'A') == lower)) {
					break;
				}
				k++;
			}
			if (k == known.length()) {
				return known;
			}
		}
		return s.substring(from, to).toLowerCase(Locale.ROOT);
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

	/** Whether {@code c} occurs in {@code s[from, to)}. */
	public static boolean contains(String s, int from, int to, char c) {
		for (int i = from; i < to; i++) {
			if (s.charAt(i) == c) {
				return true;
			}
		}
		return false;
	}

	/** The first index in {@code [from, to)} past what {@link String#trim()} removes. */
	public static int trimStart(String s, int from, int to) {
		while (from < to && s.charAt(from) <= ' ') {
			from++;
		}
		return from;
	}

	/** The end of {@code [from, to)} without what {@link String#trim()} removes. */
	public static int trimEnd(String s, int from, int to) {
		while (to > from && s.charAt(to - 1) <= ' ') {
			to--;
		}
		return to;
	}

}
