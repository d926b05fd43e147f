package io.evhttp.spring.autoconfigure;

/**
 * An SSL bundle evhttp is told to use cannot be used: missing, or its key and
 * certificates do not make a TLS context.
 */
final class EvHttpSslException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String bundle;

	private final String property;

	/**
	 * @param bundle the bundle's name
	 * @param property where it is named, such as {@code evhttp.ssl.bundle}
	 */
	EvHttpSslException(String bundle, String property, String description, Throwable cause) {
		super(description, cause);
		this.bundle = bundle;
		this.property = property;
	}

	String bundle() {
		return this.bundle;
	}

	String property() {
		return this.property;
	}

}
