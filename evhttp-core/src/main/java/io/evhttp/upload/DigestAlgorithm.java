package io.evhttp.upload;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Digest computed over an uploaded file's bytes as they are written. */
public enum DigestAlgorithm {

	/** No digest. */
	NONE(null),
	/** MD5, for legacy {@code Content-MD5} checks. */
	MD5("MD5"),
	/** SHA-256. */
	SHA_256("SHA-256"),
	/** SHA-512. */
	SHA_512("SHA-512");

	private final String jcaName;

	DigestAlgorithm(String jcaName) {
		this.jcaName = jcaName;
	}

	/** A new digest, or {@code null} for {@link #NONE}. */
	public MessageDigest newDigest() {
		if (this.jcaName == null) {
			return null;
		}
		try {
			return MessageDigest.getInstance(this.jcaName);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(this.jcaName + " is required of every Java platform", ex);
		}
	}

}
