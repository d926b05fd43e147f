package io.evhttp.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

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

	/** Header fields of the answer, name and value alternating. */
	private final ArrayList<String> headers = new ArrayList<>(0);

	private String bodyType;

	private byte[] body;

	private String code;

	private long limit = -1;

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

	/**
	 * Adds a header field to the error answer, e.g. {@code Retry-After} on a 503.
	 * @throws IllegalArgumentException when the name is not a token or the value holds a
	 * control character
	 */
	public HttpException withHeader(String name, String value) {
		Headers.checkField(name, value);
		this.headers.add(name);
		this.headers.add(value);
		return this;
	}

	/**
	 * Sends {@code body} as the error answer's content instead of the reason phrase, e.g.
	 * an {@code application/problem+json} document (RFC 9457). The array must not change
	 * afterwards.
	 */
	public HttpException withBody(String contentType, byte[] body) {
		Headers.checkField("Content-Type", contentType);
		this.bodyType = contentType;
		this.body = body;
		return this;
	}

	/** Media type of {@link #body()}, or {@code null} for the default text answer. */
	public String bodyType() {
		return this.bodyType;
	}

	/** Content of the error answer set with {@link #withBody}, or {@code null}. */
	public byte[] body() {
		return this.body;
	}

	/**
	 * Names what was refused, for machines (a problem document's {@code code}, an event's
	 * reason): {@code file-too-large}, {@code body-too-large}, {@code too-many-parts} ...
	 * The server's own limits set one; {@code null} otherwise.
	 */
	public HttpException withCode(String code) {
		this.code = code;
		return this;
	}

	/** The limit that was crossed, in bytes or items (what {@link #code()} counts). */
	public HttpException withLimit(long limit) {
		this.limit = limit;
		return this;
	}

	/** What was refused, or {@code null}; see {@link #withCode}. */
	public String code() {
		return this.code;
	}

	/** The limit that was crossed, or -1. */
	public long limit() {
		return this.limit;
	}

	/** Header fields added with {@link #withHeader}: name and value alternating. */
	public List<String> headers() {
		return List.copyOf(this.headers);
	}

	public static HttpException badRequest(String reason) {
		return new HttpException(400, reason);
	}

	/**
	 * 405 with the {@code Allow} field RFC 9110 §15.5.6 requires.
	 * @param allowed the methods the target supports
	 */
	public static HttpException methodNotAllowed(Collection<String> allowed) {
		return new HttpException(405, "method not allowed").withHeader("Allow", String.join(", ", allowed));
	}

}
