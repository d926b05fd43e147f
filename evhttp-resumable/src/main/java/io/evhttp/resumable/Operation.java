package io.evhttp.resumable;

/** What a request does to the endpoint or to one upload. */
enum Operation {

	/** {@code OPTIONS}: what the server offers. */
	DISCOVER,
	/** {@code POST} on the endpoint: a new upload, maybe with its first bytes. */
	CREATE,
	/** {@code HEAD}: the offset. */
	INSPECT,
	/** {@code GET}: a complete upload's bytes (the offset while incomplete). */
	DOWNLOAD,
	/** {@code PATCH}: bytes at an offset. */
	APPEND,
	/** {@code DELETE}: the upload goes. */
	TERMINATE;

	boolean takesBody() {
		return this == CREATE || this == APPEND;
	}

}
