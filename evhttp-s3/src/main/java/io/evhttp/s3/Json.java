package io.evhttp.s3;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the resumable store keeps its state in: objects, arrays, strings,
 * integers, booleans and null, read into maps, lists, {@code String}, {@code Long} and
 * {@code Boolean}. Enough for our own small documents; not a general parser.
 */
final class Json {

	private final String text;

	private int at;

	private Json(String text) {
		this.text = text;
	}

	static Object parse(String text) {
		Json json = new Json(text);
		Object value = json.value();
		json.space();
		if (json.at != text.length()) {
			throw json.error("trailing characters");
		}
		return value;
	}

	static String quote(String s) {
		StringBuilder out = new StringBuilder(s.length() + 2).append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"').toString();
	}

	private Object value() {
		space();
		if (this.at >= this.text.length()) {
			throw error("value expected");
		}
		char c = this.text.charAt(this.at);
		return switch (c) {
			case '{' -> object();
			case '[' -> array();
			case '"' -> string();
			case 't' -> literal("true", Boolean.TRUE);
			case 'f' -> literal("false", Boolean.FALSE);
			case 'n' -> literal("null", null);
			default -> number();
		};
	}

	private Map<String, Object> object() {
		Map<String, Object> map = new LinkedHashMap<>();
		this.at++;
		space();
		if (peek('}')) {
			return map;
		}
		do {
			space();
			String key = string();
			space();
			expect(':');
			map.put(key, value());
			space();
		}
		while (peek(','));
		expect('}');
		return map;
	}

	private List<Object> array() {
		List<Object> list = new ArrayList<>();
		this.at++;
		space();
		if (peek(']')) {
			return list;
		}
		do {
			list.add(value());
			space();
		}
		while (peek(','));
		expect(']');
		return list;
	}

	private String string() {
		expect('"');
		StringBuilder out = new StringBuilder();
		while (true) {
			if (this.at >= this.text.length()) {
				throw error("unterminated string");
			}
			char c = this.text.charAt(this.at++);
			if (c == '"') {
				return out.toString();
			}
			if (c != '\\') {
				out.append(c);
				continue;
			}
			char e = this.text.charAt(this.at++);
			switch (e) {
				case 'n' -> out.append('\n');
				case 'r' -> out.append('\r');
				case 't' -> out.append('\t');
				case 'b' -> out.append('\b');
				case 'f' -> out.append('\f');
				case 'u' -> {
					out.append((char) Integer.parseInt(this.text.substring(this.at, this.at + 4), 16));
					this.at += 4;
				}
				default -> out.append(e);
			}
		}
	}

	private Long number() {
		int start = this.at;
		if (peek('-')) {
			// sign taken
		}
		while (this.at < this.text.length() && Character.isDigit(this.text.charAt(this.at))) {
			this.at++;
		}
		if (start == this.at) {
			throw error("number expected");
		}
		return Long.parseLong(this.text.substring(start, this.at));
	}

	private Object literal(String word, Object value) {
		if (!this.text.startsWith(word, this.at)) {
			throw error(word + " expected");
		}
		this.at += word.length();
		return value;
	}

	private void space() {
		while (this.at < this.text.length() && Character.isWhitespace(this.text.charAt(this.at))) {
			this.at++;
		}
	}

	private boolean peek(char c) {
		if (this.at < this.text.length() && this.text.charAt(this.at) == c) {
			this.at++;
			return true;
		}
		return false;
	}

	private void expect(char c) {
		if (!peek(c)) {
			throw error("'" + c + "' expected");
		}
	}

	private IllegalArgumentException error(String what) {
		return new IllegalArgumentException(what + " at " + this.at);
	}

}
