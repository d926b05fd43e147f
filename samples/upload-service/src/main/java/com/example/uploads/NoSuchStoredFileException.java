package com.example.uploads;

/** Asked for a file the store does not hold. */
class NoSuchStoredFileException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String name;

	NoSuchStoredFileException(String name) {
		super("no file named " + name);
		this.name = name;
	}

	String name() {
		return this.name;
	}

}
