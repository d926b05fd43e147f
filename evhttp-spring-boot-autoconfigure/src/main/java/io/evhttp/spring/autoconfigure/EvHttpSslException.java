package io.evhttp.spring.autoconfigure;

/**
 * The SSL bundle named by {@code evhttp.ssl.bundle} cannot be used: missing, or its key
 * and certificates do not make a TLS context.
 */
final class EvHttpSslException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String bundle;

	EvHttpSslException(String bundle, String description, Throwable cause) {
		super(description, cause);
		this.bundle = bundle;
	}

	String bundle() {
		return this.bundle;
	}

}
