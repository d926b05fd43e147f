package io.evhttp.spring.method;

/**
 * A handler-method bean that cannot be served as declared, found at startup: the message
 * names the bean and method, {@link #action()} says how to fix it.
 */
public final class HandlerMethodException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String action;

	HandlerMethodException(String description, String action) {
		super(description);
		this.action = action;
	}

	/** What to change so that the bean can be served. */
	public String action() {
		return this.action;
	}

}
