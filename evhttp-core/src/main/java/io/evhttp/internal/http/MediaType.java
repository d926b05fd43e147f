package io.evhttp.internal.http;

import io.evhttp.http.HttpException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed media type (RFC 9110 §8.3.1): {@code type/subtype} in lower case and its
 * parameters, names in lower case, values unquoted ({@code \} escapes undone, as RFC 9110
 * §5.6.4 says).
 *
 * @param type top-level type, lower case
 * @param subtype subtype, lower case
 * @param parameters parameters by lower-case name, in order
 */
public record MediaType(String type, String subtype, Map<String, String> parameters) {

	/**
	 * Parses a {@code Content-Type} value.
	 * @throws HttpException (400) when it is not a media type
	 */
	public static MediaType parse(String value) {
		int semi = value.indexOf(';');
		String essence = ((semi < 0) ? value : value.substring(0, semi)).trim();
		int slash = essence.indexOf('/');
		if (slash <= 0 || !Tokens.isToken(essence, 0, slash) || !Tokens.isToken(essence, slash + 1, essence.length())) {
			throw HttpException.badRequest("malformed media type");
		}
		Map<String, String> params = new LinkedHashMap<>();
		int i = (semi < 0) ? value.length() : semi;
		while (i < value.length()) {
			i = skipSpaces(value, i + 1);
			int eq = value.indexOf('=', i);
			if (eq < 0) {
				if (value.substring(i).isBlank()) {
					break;
				}
				throw HttpException.badRequest("malformed media type parameter");
			}
			int nameStart = Tokens.trimStart(value, i, eq);
			int nameEnd = Tokens.trimEnd(value, nameStart, eq);
			if (!Tokens.isToken(value, nameStart, nameEnd)) {
				throw HttpException.badRequest("malformed media type parameter");
			}
			String name = Tokens.lowerCase(value, nameStart, nameEnd,
					(nameEnd - nameStart == 7) ? "charset" : "boundary");
			String v;
			i = eq + 1;
			if (i < value.length() && value.charAt(i) == '"') {
				int close = value.indexOf('"', i + 1);
				if (close > 0 && !Tokens.contains(value, i + 1, close, '\\')) {
					v = value.substring(i + 1, close); // nothing escaped: the quotes'
														// inside as it is
					i = close + 1;
				}
				else {
					StringBuilder quoted = new StringBuilder();
					i = readQuoted(value, i + 1, quoted);
					v = quoted.toString();
				}
			}
			else {
				int end = value.indexOf(';', i);
				end = (end < 0) ? value.length() : end;
				v = value.substring(i, end);
				i = end;
			}
			i = skipSpaces(value, i);
			if (i < value.length() && value.charAt(i) != ';') {
				throw HttpException.badRequest("malformed media type parameter");
			}
			params.putIfAbsent(name, v.trim());
		}
		return new MediaType(essence.substring(0, slash).toLowerCase(Locale.ROOT),
				essence.substring(slash + 1).toLowerCase(Locale.ROOT), params);
	}

	public boolean is(String type, String subtype) {
		return this.type.equalsIgnoreCase(type) && this.subtype.equalsIgnoreCase(subtype);
	}

	/** A parameter by name (any case), or {@code null}. */
	public String parameter(String name) {
		return this.parameters.get(name.toLowerCase(Locale.ROOT));
	}

	private static int readQuoted(String s, int i, StringBuilder out) {
		while (i < s.length()) {
			char c = s.charAt(i++);
			if (c == '"') {
				return i;
			}
			if (c == '\\' && i < s.length()) {
				c = s.charAt(i++);
			}
			out.append(c);
		}
		throw HttpException.badRequest("unterminated quoted string in media type");
	}

	private static int skipSpaces(String s, int i) {
		while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
			i++;
		}
		return i;
	}

}
