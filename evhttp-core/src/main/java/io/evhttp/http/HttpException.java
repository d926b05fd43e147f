package io.evhttp.http;

/**
 * The one exception a parser or a handler throws to refuse a request: it carries the HTTP
 * status to answer with and a short reason for the log.
 *
 * <p>
 * The connection catches it in one place, answers with {@link #status()}, closes the
 * connection when the framing may be lost, and deletes the request's temp files. Our
 * mapping: 400 malformed, 413 body or part too large, 414 request line too long, 431
 * header section too large, 408 not received in time, 501 unknown transfer coding, 505
 * HTTP version.
 */
public class HttpException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int status;

	public HttpException(int status, String reason) {
		super(reason, null, false, false);
		this.status = status;
	}

	public HttpException(int status, String reason, Throwable cause) {
		super(reason, cause, false, false);
		this.status = status;
	}

	/** HTTP status code to answer with. */
	public int status() {
		return this.status;
	}

	/** Short reason, safe to log; never sent to the client. */
	public String reason() {
		return getMessage();
	}

	public static HttpException badRequest(String reason) {
		return new HttpException(400, reason);
	}

}
