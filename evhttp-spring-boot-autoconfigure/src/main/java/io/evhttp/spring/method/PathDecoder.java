package io.evhttp.spring.method;

import io.evhttp.http.HttpException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decodes a request path as RFC 3986 §2.1 says, the octets read as UTF-8 (RFC
 * 3986 §2.5): {@code +} stays {@code +} (the space of forms is no business of a path). A
 * malformed escape, octets that are not UTF-8, and {@code %2F} are refused with 400: an
 * encoded slash would make a segment variable hold a {@code /} the router never saw as
 * one. So are the dot segments {@code .} and {@code ..}, escaped or not: a path variable
 * never names a parent directory.
 */
final class PathDecoder {

	private PathDecoder() {
	}

	static String decode(String raw) {
		return refuseDotSegments((raw.indexOf('%') < 0) ? raw : unescape(raw));
	}

	private static String refuseDotSegments(String path) {
		int start = 0;
		while (start <= path.length()) {
			int end = path.indexOf('/', start);
			end = (end < 0) ? path.length() : end;
			int length = end - start;
			if ((length == 1 || length == 2) && path.charAt(start) == '.'
					&& (length == 1 || path.charAt(start + 1) == '.')) {
				throw HttpException.badRequest("a dot segment ('.' or '..') in the path");
			}
			start = end + 1;
		}
		return path;
	}

	private static String unescape(String raw) {
		ByteBuffer bytes = ByteBuffer.allocate(raw.length());
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c != '%') {
				if (c > 0x7F) {
					throw HttpException.badRequest("path is not ASCII");
				}
				bytes.put((byte) c);
				continue;
			}
			int high = (i + 2 < raw.length()) ? Character.digit(raw.charAt(i + 1), 16) : -1;
			int low = (high >= 0) ? Character.digit(raw.charAt(i + 2), 16) : -1;
			if (low < 0) {
				throw HttpException.badRequest("invalid percent-escape in the path at " + i);
			}
			int octet = (high << 4) | low;
			if (octet == '/') {
				throw HttpException.badRequest("an encoded '/' (%2F) in the path");
			}
			bytes.put((byte) octet);
			i += 2;
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(bytes.flip())
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw HttpException.badRequest("the path's escapes are not UTF-8");
		}
	}

}
