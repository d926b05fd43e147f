package io.evhttp.spring.autoconfigure;

/**
 * The configured store cannot be used: a setting missing or wrong, or the store out of
 * reach at startup. Names the property to look at and what to do.
 */
final class EvHttpStorageException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final String action;

	EvHttpStorageException(String property, String description, String action, Throwable cause) {
		super(description, cause);
		this.property = property;
		this.action = action;
	}

	String property() {
		return this.property;
	}

	String action() {
		return this.action;
	}

}
