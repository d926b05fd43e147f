package io.evhttp.spring.event;

/**
 * A request failed while its body was received: a disconnect, a timeout, a limit, a
 * malformed body or a drop. Its temp files are deleted.
 */
public final class UploadFailedEvent extends EvUploadEvent {

	private static final long serialVersionUID = 1L;

	private final int status;

	private final String reason;

	private final String code;

	private final long limit;

	public UploadFailedEvent(UploadSnapshot snapshot, int status, String reason, String code, long limit) {
		super(snapshot);
		this.status = status;
		this.reason = reason;
		this.code = code;
		this.limit = limit;
	}

	/**
	 * Status answered (413, 400, 408 ...), or 499 when the client went away or the
	 * request was dropped.
	 */
	public int status() {
		return this.status;
	}

	/** Short reason. */
	public String reason() {
		return this.reason;
	}

	/**
	 * What was refused when one of the server's limits refused it
	 * ({@code file-too-large}, {@code body-too-large}, {@code too-many-parts} ...), else
	 * {@code null}.
	 */
	public String code() {
		return this.code;
	}

	/** The limit that was crossed (bytes or items), or -1. */
	public long limit() {
		return this.limit;
	}

}
