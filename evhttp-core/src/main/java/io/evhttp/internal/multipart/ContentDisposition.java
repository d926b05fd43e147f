package io.evhttp.internal.multipart;

import io.evhttp.http.HttpException;
import io.evhttp.internal.http.Tokens;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

/**
 * A part's {@code Content-Disposition} (RFC 7578 §4.2). {@code filename*} (RFC 5987 / RFC
 * 8187) is decoded and wins over {@code filename}.
 *
 * <p>
 * Quoted values are read as RFC 9110 §5.6.4 quoted strings, the way Go's {@code mime}
 * package and busboy read them: clients that escape (Spring's
 * {@code FormHttpMessageConverter}, Go's {@code mime/multipart}, {@code curl
 * --form-escape}, aiohttp, Perl LWP) send {@code filename="say \"hi\".txt"} for
 * {@code say "hi".txt}. Browsers (the HTML standard's encoding) send a quote as
 * {@code %22}, kept as sent, and a backslash unescaped. So:
 * <ul>
 * <li>{@code \"} and {@code \\} are quoted-pairs and stand for {@code "} and
 * {@code \};</li>
 * <li>a backslash before any other character is kept with it, so a Windows path sent raw
 * by an old browser ({@code C:\Users\me\a.txt}) arrives intact;</li>
 * <li>a value holding such a lone backslash and no {@code \"} was not escaped at all, and
 * each of its backslashes is kept ({@code \\server\share\x.doc} arrives intact);</li>
 * <li>a header that cannot be read with quoted-pairs (a browser's {@code name="a\"},
 * where the backslash ends the name) is read as browsers write it: a value ends at the
 * next quote and a backslash is an ordinary character.</li>
 * </ul>
 *
 * Parameters are named in any case; of one named twice, the first counts. Only the three
 * a form part uses are kept.
 *
 * @param type disposition type, lower case ({@code form-data})
 * @param name the {@code name} parameter, unquoted as described above, or an empty string
 * @param plainFilename the {@code filename} parameter, unquoted, or null
 * @param extendedFilename the {@code filename*} parameter as sent, or null
 */
record ContentDisposition(String type, String name, String plainFilename, String extendedFilename) {

	ContentDisposition {
		name = (name != null) ? name : "";
	}

	/** How a quoted value is read. */
	private enum Quoting {

		/** RFC 9110 §5.6.4, Windows paths kept as sent. */
		QUOTED_PAIRS,

		/** The HTML standard: a value ends at the next quote, backslashes as sent. */
		VERBATIM

	}

	/**
	 * Parses a {@code Content-Disposition} value.
	 * @throws HttpException (400) when it is not one
	 */
	static ContentDisposition parse(String value) {
		ContentDisposition cd = parse(value, Quoting.QUOTED_PAIRS);
		if (cd == null) {
			cd = parse(value, Quoting.VERBATIM);
		}
		if (cd == null) {
			throw HttpException.badRequest("malformed Content-Disposition");
		}
		return cd;
	}

	/** The disposition read with {@code quoting}, or null when malformed. */
	private static ContentDisposition parse(String value, Quoting quoting) {
		int semi = value.indexOf(';');
		int typeEnd = (semi < 0) ? value.length() : semi;
		int typeStart = Tokens.trimStart(value, 0, typeEnd);
		String type = Tokens.lowerCase(value, typeStart, Tokens.trimEnd(value, typeStart, typeEnd), "form-data");
		if (!Tokens.isToken(type)) {
			return null;
		}
		String name = null;
		String filename = null;
		String extended = null;
		StringBuilder quoted = null; // for values with a backslash only
		int i = (semi < 0) ? value.length() : semi + 1;
		while (i < value.length()) {
			i = skipSpaces(value, i);
			if (i >= value.length()) {
				break;
			}
			int eq = value.indexOf('=', i);
			if (eq < 0) {
				return null;
			}
			String parameter = parameterName(value, i, eq);
			i = skipSpaces(value, eq + 1);
			String v;
			int close = (i < value.length() && value.charAt(i) == '"') ? value.indexOf('"', i + 1) : -1;
			if (close > 0 && !Tokens.contains(value, i + 1, close, '\\')) {
				// no backslash: read the same with either quoting
				v = value.substring(i + 1, close);
				i = close + 1;
			}
			else if (i < value.length() && value.charAt(i) == '"') {
				quoted = (quoted != null) ? quoted : new StringBuilder();
				i = readQuoted(value, i + 1, quoting, quoted);
				if (i < 0) {
					return null;
				}
				v = quoted.toString();
			}
			else {
				int end = value.indexOf(';', i);
				end = (end < 0) ? value.length() : end;
				v = value.substring(i, end).trim();
				i = end;
			}
			i = skipSpaces(value, i);
			if (i < value.length() && value.charAt(i) != ';') {
				return null;
			}
			i++;
			switch (parameter) {
				case "name" -> name = (name != null) ? name : v;
				case "filename" -> filename = (filename != null) ? filename : v;
				case "filename*" -> extended = (extended != null) ? extended : v;
				default -> {
					// not a form part's
				}
			}
		}
		return new ContentDisposition(type, name, filename, extended);
	}

	/**
	 * The parameter name in {@code value[from, to)}, trimmed and in lower case; the names
	 * every form part has are not copied.
	 */
	private static String parameterName(String value, int from, int to) {
		int start = Tokens.trimStart(value, from, to);
		int end = Tokens.trimEnd(value, start, to);
		return Tokens.lowerCase(value, start, end, switch (end - start) {
			case 4 -> "name";
			case 9 -> "filename*";
			default -> "filename";
		});
	}

	/**
	 * Reads a quoted value from {@code start}, just after its opening quote, into
	 * {@code out} (cleared first).
	 * @return the index after the closing quote, or -1 when there is none
	 */
	private static int readQuoted(String s, int start, Quoting quoting, StringBuilder out) {
		out.setLength(0);
		boolean escapedQuote = false;
		boolean loneBackslash = false;
		int i = start;
		while (i < s.length() && s.charAt(i) != '"') {
			char c = s.charAt(i++);
			if (c == '\\' && quoting == Quoting.QUOTED_PAIRS && i < s.length()) {
				char next = s.charAt(i);
				if (next == '"' || next == '\\') {
					escapedQuote |= next == '"';
					c = next;
					i++;
				}
				else {
					loneBackslash = true;
				}
			}
			out.append(c);
		}
		if (i == s.length()) {
			return -1;
		}
		if (loneBackslash && !escapedQuote) {
			// a raw path: with no \" in it the first quote closes it either way, so
			// only its backslashes need giving back
			out.setLength(0);
			out.append(s, start, i);
		}
		return i + 1;
	}

	/**
	 * {@code filename*} decoded when present and valid, else {@code filename}, else null.
	 */
	String filename() {
		if (this.extendedFilename != null) {
			String decoded = decodeExtValue(this.extendedFilename);
			if (decoded != null) {
				return decoded;
			}
		}
		return this.plainFilename;
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
