package io.evhttp.s3;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * Test bytes and their digests.
 */
final class S3Objects {

	static final int MIB = 1024 * 1024;

	private S3Objects() {
	}

	static byte[] randomBytes(int length, long seed) {
		byte[] bytes = new byte[length];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	static String sha256(byte[]... pieces) {
		MessageDigest digest = digest("SHA-256");
		for (byte[] piece : pieces) {
			digest.update(piece);
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	static String md5(byte[] bytes) {
		return HexFormat.of().formatHex(digest("MD5").digest(bytes));
	}

	private static MessageDigest digest(String algorithm) {
		try {
			return MessageDigest.getInstance(algorithm);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
