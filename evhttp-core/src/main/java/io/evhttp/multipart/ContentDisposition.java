package io.evhttp.multipart;

import io.evhttp.http.HttpException;
import io.evhttp.http.Tokens;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A part's {@code Content-Disposition} (RFC 7578 §4.2), read the way browsers write it
 * (the HTML standard's multipart/form-data encoding): quoted values end at the next
 * quote, a backslash is an ordinary character, and a quote inside a name arrives as
 * {@code %22}, kept as sent. {@code filename*} (RFC 5987 / RFC 8187) is decoded and wins
 * over {@code filename}.
 *
 * @param type disposition type, lower case ({@code form-data})
 * @param parameters parameters by lower-case name; values as sent, unquoted
 */
record ContentDisposition(String type, Map<String, String> parameters) {

	static ContentDisposition parse(String value) {
		int semi = value.indexOf(';');
		String type = ((semi < 0) ? value : value.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
		if (!Tokens.isToken(type)) {
			throw HttpException.badRequest("malformed Content-Disposition");
		}
		Map<String, String> params = new LinkedHashMap<>();
		int i = (semi < 0) ? value.length() : semi + 1;
		while (i < value.length()) {
			i = skipSpaces(value, i);
			if (i >= value.length()) {
				break;
			}
			int eq = value.indexOf('=', i);
			if (eq < 0) {
				throw HttpException.badRequest("malformed Content-Disposition parameter");
			}
			String name = value.substring(i, eq).trim().toLowerCase(Locale.ROOT);
			i = skipSpaces(value, eq + 1);
			String v;
			if (i < value.length() && value.charAt(i) == '"') {
				int close = value.indexOf('"', i + 1);
				if (close < 0) {
					throw HttpException.badRequest("unterminated quoted value in Content-Disposition");
				}
				v = value.substring(i + 1, close);
				i = close + 1;
			}
			else {
				int end = value.indexOf(';', i);
				end = (end < 0) ? value.length() : end;
				v = value.substring(i, end).trim();
				i = end;
			}
			i = skipSpaces(value, i);
			if (i < value.length() && value.charAt(i) != ';') {
				throw HttpException.badRequest("malformed Content-Disposition parameter");
			}
			i++;
			params.putIfAbsent(name, v);
		}
		return new ContentDisposition(type, params);
	}

	/** The {@code name} parameter, or an empty string. */
	String name() {
		return this.parameters.getOrDefault("name", "");
	}

	/**
	 * {@code filename*} decoded when present and valid, else {@code filename}, else null.
	 */
	String filename() {
		String extended = this.parameters.get("filename*");
		if (extended != null) {
			String decoded = decodeExtValue(extended);
			if (decoded != null) {
				return decoded;
			}
		}
		return this.parameters.get("filename");
	}

	/**
	 * Decodes {@code charset'language'pct-encoded} (RFC 8187 §3.2), or null when
	 * malformed.
	 */
	static String decodeExtValue(String value) {
		int q1 = value.indexOf('\'');
		int q2 = (q1 < 0) ? -1 : value.indexOf('\'', q1 + 1);
		if (q2 < 0) {
			return null;
		}
		Charset charset;
		try {
			charset = Charset.forName(value.substring(0, q1));
		}
		catch (IllegalCharsetNameException | UnsupportedCharsetException ex) {
			return null;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (int i = q2 + 1; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '%') {
				if (i + 2 >= value.length()) {
					return null;
				}
				int hi = Character.digit(value.charAt(i + 1), 16);
				int lo = Character.digit(value.charAt(i + 2), 16);
				if (hi < 0 || lo < 0) {
					return null;
				}
				bytes.write(hi << 4 | lo);
				i += 2;
			}
			else {
				byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
				bytes.write(raw, 0, raw.length);
			}
		}
		return bytes.toString(charset);
	}

	private static int skipSpaces(String s, int i) {
		while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
			i++;
		}
		return i;
	}

}
