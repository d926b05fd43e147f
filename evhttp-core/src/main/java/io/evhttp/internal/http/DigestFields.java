package io.evhttp.internal.http;

import io.evhttp.http.HttpException;
import java.util.Base64;
import java.util.Locale;

/**
 * Reads the digests a client may send with a body: RFC 9530 {@code Content-Digest} and
 * {@code Repr-Digest} (a structured-field dictionary such as {@code sha-256=:BASE64:})
 * and the legacy {@code Content-MD5} (RFC 1864, plain base64).
 */
public final class DigestFields {

	/**
	 * A digest sent by the client.
	 *
	 * @param algorithm {@code sha-512}, {@code sha-256} or {@code md5}
	 * @param value the digest bytes
	 * @param field the header it came from
	 */
	public record Expected(String algorithm, byte[] value, String field) {
	}

	private DigestFields() {
	}

	/**
	 * The strongest supported digest of a {@code Content-Digest}/{@code Repr-Digest}
	 * value, or {@code null} when none is supported (unknown algorithms are ignored, RFC
	 * 9530 §2).
	 * @throws HttpException (400) when a supported entry is malformed
	 */
	public static Expected parseDictionary(String value, String field) {
		Expected best = null;
		for (String member : value.split(",")) {
			int eq = member.indexOf('=');
			if (eq < 0) {
				continue;
			}
			String algorithm = member.substring(0, eq).trim().toLowerCase(Locale.ROOT);
			if (!algorithm.equals("sha-256") && !algorithm.equals("sha-512")) {
				continue;
			}
			String item = member.substring(eq + 1).trim();
			if (item.length() < 2 || item.charAt(0) != ':' || item.charAt(item.length() - 1) != ':') {
				throw HttpException.badRequest("malformed " + field);
			}
			byte[] digest = decode(item.substring(1, item.length() - 1), field);
			if (digest.length != (algorithm.equals("sha-256") ? 32 : 64)) {
				throw HttpException.badRequest("malformed " + field);
			}
			if (best == null || algorithm.equals("sha-512")) {
				best = new Expected(algorithm, digest, field);
			}
		}
		return best;
	}

	/**
	 * A {@code Content-MD5} value.
	 * @throws HttpException (400) when it is not the base64 of 16 bytes
	 */
	public static Expected parseContentMd5(String value) {
		byte[] digest = decode(value.trim(), "Content-MD5");
		if (digest.length != 16) {
			throw HttpException.badRequest("malformed Content-MD5");
		}
		return new Expected("md5", digest, "Content-MD5");
	}

	private static byte[] decode(String base64, String field) {
		try {
			return Base64.getDecoder().decode(base64);
		}
		catch (IllegalArgumentException ex) {
			throw HttpException.badRequest("malformed " + field);
		}
	}

}
