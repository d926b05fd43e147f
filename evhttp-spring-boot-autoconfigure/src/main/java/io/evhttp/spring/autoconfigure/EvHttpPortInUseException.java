package io.evhttp.spring.autoconfigure;

/** An evhttp listener could not bind its port because something else holds it. */
public class EvHttpPortInUseException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int port;

	public EvHttpPortInUseException(int port, Throwable cause) {
		super("evhttp port " + port + " is already in use", cause);
		this.port = port;
	}

	public int port() {
		return this.port;
	}

}
