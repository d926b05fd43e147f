package io.evhttp.spring.autoconfigure;

import java.nio.file.Path;

/** {@code evhttp.tmp-path} cannot be created or written. */
public class EvHttpTmpPathException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final Path path;

	public EvHttpTmpPathException(Path path, Throwable cause) {
		super("evhttp.tmp-path " + path + " cannot be created or written", cause);
		this.path = path;
	}

	public Path path() {
		return this.path;
	}

}
