package io.evhttp.spring.autoconfigure;

/**
 * An {@code @EvUploadHandler} or {@code EvRoute} bean that cannot be served as declared,
 * found before any server starts; {@link EvHttpFailureAnalyzer} reports it with its fix.
 */
final class EvHttpHandlerException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String action;

	EvHttpHandlerException(String description, String action) {
		super(description);
		this.action = action;
	}

	String action() {
		return this.action;
	}

}
