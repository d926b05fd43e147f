package io.evhttp.spring.event;

/**
 * A request failed while its body was received: a disconnect, a timeout, a limit, a
 * malformed body or a drop. Its temp files are deleted.
 */
public final class UploadFailedEvent extends EvUploadEvent {

	private static final long serialVersionUID = 1L;

	private final int status;

	private final String reason;

	public UploadFailedEvent(UploadSnapshot snapshot, int status, String reason) {
		super(snapshot);
		this.status = status;
		this.reason = reason;
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

}
