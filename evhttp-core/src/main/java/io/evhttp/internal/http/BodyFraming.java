package io.evhttp.internal.http;

import io.evhttp.http.Headers;
import io.evhttp.http.HttpException;
import java.util.List;

/**
 * How a request's body is delimited (RFC 9112 §6), decided once from its head, strictly.
 *
 * <p>
 * Refused with 400, because two readers could frame the message differently (request
 * smuggling): {@code Content-Length} together with {@code Transfer-Encoding}; several
 * differing or malformed {@code Content-Length}s; {@code Transfer-Encoding} in HTTP/1.0;
 * a missing or repeated {@code Host} in HTTP/1.1. A transfer coding other than a lone
 * {@code chunked} gets 501: the server decodes no other coding.
 *
 * @param kind how the body ends
 * @param length declared length for {@link Kind#LENGTH}, else -1
 */
public record BodyFraming(Kind kind, long length) {

	/** How a body ends. */
	public enum Kind {

		/** No body. */
		NONE,
		/** Exactly {@link BodyFraming#length()} bytes. */
		LENGTH,
		/** Chunked transfer coding, to its last chunk. */
		CHUNKED

	}

	public static final BodyFraming NONE = new BodyFraming(Kind.NONE, 0);

	public static final BodyFraming CHUNKED = new BodyFraming(Kind.CHUNKED, -1);

	private static final int MAX_LENGTH_DIGITS = 18;

	public static BodyFraming of(RequestHead head) {
		Headers headers = head.headers();
		int hosts = headers.count("Host");
		if (hosts > 1 || (hosts == 0 && head.minorVersion() == 1)) {
			throw HttpException.badRequest((hosts == 0) ? "missing Host" : "several Host fields");
		}
		List<String> te = headers.all("Transfer-Encoding");
		List<String> cl = headers.all("Content-Length");
		if (!te.isEmpty()) {
			if (!cl.isEmpty()) {
				throw HttpException.badRequest("both Content-Length and Transfer-Encoding");
			}
			if (head.minorVersion() == 0) {
				throw HttpException.badRequest("Transfer-Encoding in HTTP/1.0");
			}
			return transferCoding(te);
		}
		if (cl.isEmpty()) {
			return NONE;
		}
		long length = contentLength(cl);
		return (length == 0) ? NONE : new BodyFraming(Kind.LENGTH, length);
	}

	private static BodyFraming transferCoding(List<String> fields) {
		String codings = String.join(",", fields);
		String[] parts = codings.split(",", -1);
		for (int i = 0; i < parts.length; i++) {
			String coding = parts[i].trim();
			if (!Tokens.isToken(coding)) {
				throw HttpException.badRequest("malformed Transfer-Encoding");
			}
			boolean chunked = coding.equalsIgnoreCase("chunked");
			if (chunked && i != parts.length - 1) {
				throw HttpException.badRequest("chunked is not the final transfer coding");
			}
			if (!chunked) {
				throw new HttpException(501, "transfer coding not implemented: " + coding);
			}
		}
		return CHUNKED;
	}

	private static long contentLength(List<String> fields) {
		long length = -1;
		for (String field : fields) {
			int from = 0;
			while (true) {
				// a list ("5, 5") is allowed when its values agree (RFC 9110 §8.6)
				int comma = field.indexOf(',', from);
				int to = (comma < 0) ? field.length() : comma;
				long parsed = parseLength(field.substring(from, to).trim());
				if (length >= 0 && parsed != length) {
					throw HttpException.badRequest("differing Content-Length values");
				}
				length = parsed;
				if (comma < 0) {
					break;
				}
				from = comma + 1;
			}
		}
		return length;
	}

	private static long parseLength(String value) {
		if (value.isEmpty() || value.length() > MAX_LENGTH_DIGITS) {
			throw HttpException.badRequest("malformed Content-Length");
		}
		long n = 0;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				throw HttpException.badRequest("malformed Content-Length");
			}
			n = n * 10 + (c - '0');
		}
		return n;
	}

}
