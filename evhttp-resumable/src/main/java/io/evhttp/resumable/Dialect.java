package io.evhttp.resumable;

/**
 * Which protocol a request speaks, told by its headers as tusd does:
 * {@code Upload-Draft-Interop-Version} is the IETF draft, {@code Tus-Resumable} is tus
 * 1.0, neither is plain HTTP (allowed for {@code OPTIONS} and {@code GET} only).
 *
 * @param protocol the protocol
 * @param interop the draft's interop version (5, 6, 7 or 8), else 0
 */
record Dialect(Protocol protocol, int interop) {

	static final Dialect TUS = new Dialect(Protocol.TUS, 0);

	static final Dialect PLAIN = new Dialect(Protocol.PLAIN, 0);

	enum Protocol {

		TUS, DRAFT, PLAIN

	}

	boolean isDraft() {
		return this.protocol == Protocol.DRAFT;
	}

	boolean isTus() {
		return this.protocol == Protocol.TUS;
	}

}
