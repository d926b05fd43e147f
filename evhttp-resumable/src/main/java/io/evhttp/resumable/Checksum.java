package io.evhttp.resumable;

import io.evhttp.http.HttpException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * A digest a client sent for one request's content: tus {@code Upload-Checksum}
 * ({@code sha1 <base64>}; sha1, sha256, md5) or RFC 9530 {@code Content-Digest}
 * ({@code sha-256=:<base64>:}; sha-256, sha-512, others ignored).
 */
record Checksum(String algorithm, byte[] expected) {

	/** {@code Tus-Checksum-Algorithm}: what {@link #ofTus} takes. */
	static final String TUS_ALGORITHMS = "sha1,sha256,md5";

	/**
	 * @throws HttpException 400 when malformed or of an algorithm not offered
	 */
	static Checksum ofTus(String header) {
		int space = header.indexOf(' ');
		if (space < 0) {
			throw HttpException.badRequest("Upload-Checksum without a digest");
		}
		String algorithm = switch (header.substring(0, space).toLowerCase(Locale.ROOT)) {
			case "sha1" -> "SHA-1";
			case "sha256" -> "SHA-256";
			case "md5" -> "MD5";
			default -> throw HttpException.badRequest("Upload-Checksum algorithm not supported: " + header);
		};
		return new Checksum(algorithm, base64(header.substring(space + 1).trim()));
	}

	/**
	 * @return the first digest of a supported algorithm, or {@code null}
	 */
	static Checksum ofContentDigest(String header) {
		for (String member : header.split(",")) {
			int eq = member.indexOf('=');
			if (eq < 0) {
				throw HttpException.badRequest("malformed Content-Digest");
			}
			String name = member.substring(0, eq).trim().toLowerCase(Locale.ROOT);
			String value = member.substring(eq + 1).trim();
			String algorithm = switch (name) {
				case "sha-256" -> "SHA-256";
				case "sha-512" -> "SHA-512";
				default -> null;
			};
			if (algorithm != null) {
				if (value.length() < 2 || value.charAt(0) != ':' || value.charAt(value.length() - 1) != ':') {
					throw HttpException.badRequest("malformed Content-Digest");
				}
				return new Checksum(algorithm, base64(value.substring(1, value.length() - 1)));
			}
		}
		return null;
	}

	MessageDigest newDigest() {
		try {
			return MessageDigest.getInstance(this.algorithm);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex); // every JDK has these
		}
	}

	boolean matches(MessageDigest digest) {
		return MessageDigest.isEqual(this.expected, digest.digest());
	}

	private static byte[] base64(String text) {
		try {
			return Base64.getDecoder().decode(text);
		}
		catch (IllegalArgumentException ex) {
			throw HttpException.badRequest("digest is not base64");
		}
	}

}
