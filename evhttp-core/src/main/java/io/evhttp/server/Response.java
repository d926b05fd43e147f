package io.evhttp.server;

import io.evhttp.http.Headers;
import io.evhttp.internal.http.Tokens;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The answer to one {@link Request}: status and headers, then a body sent whole
 * ({@link #send}), streamed ({@link #write} then {@link #end}; chunked unless a
 * {@code Content-Length} was set), or from a file ({@link #sendFile}, with sendfile).
 *
 * <p>
 * Usable from any thread: calls made off the event loop are handed over to it in order.
 * Bytes queue in a bounded buffer: {@link #write} returns {@code false} once more than
 * {@code maxResponseBufferBytes} wait for a client that reads slowly; stop writing then
 * and continue in {@link #onWritable}. {@code Content-Length}, {@code Date}, chunked
 * framing, {@code HEAD} and {@code Connection} are handled here; a header name or value
 * carrying CR, LF or another control byte is refused ({@link IllegalArgumentException}).
 */
public final class Response {

	private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	private final Connection connection;

	private final boolean head;

	private final int minorVersion;

	private final Headers headers = new Headers();

	private int status = 200;

	private volatile boolean committed;

	private volatile boolean ended;

	private boolean chunked;

	private long declaredLength = -1;

	private long bodyBytes;

	private boolean keepAlive;

	private Runnable onWritable;

	private Runnable onServerStopping;

	Response(Connection connection, Request request) {
		this.connection = connection;
		this.head = "HEAD".equals(request.method());
		this.minorVersion = request.minorVersion();
	}

	/**
	 * Sends an interim (1xx) response, such as {@code 100 Continue} or {@code 104 Upload
	 * Resumption Supported}, ahead of the final one; skipped for HTTP/1.0 clients, which
	 * do not expect them (RFC 9110 §15.2).
	 * @param headers header fields, name and value alternating
	 */
	public void sendInterim(int status, String... headers) {
		if (status < 100 || status > 199 || status == 101) {
			throw new IllegalArgumentException("not an interim status: " + status);
		}
		if (headers.length % 2 != 0) {
			throw new IllegalArgumentException("header names and values must alternate");
		}
		for (int i = 0; i < headers.length; i += 2) {
			Headers.checkField(headers[i], headers[i + 1]);
		}
		if (!this.connection.inLoop()) {
			this.connection.execute(() -> sendInterim(status, headers));
			return;
		}
		checkNotCommitted();
		if (this.minorVersion == 0) {
			return;
		}
		AsciiBuilder out = new AsciiBuilder(64);
		out.append("HTTP/1.1 ").append(status).append(" ").append(Status.reason(status)).crlf();
		for (int i = 0; i < headers.length; i += 2) {
			out.append(headers[i]).append(": ").append(headers[i + 1]).crlf();
		}
		this.connection.io().enqueue(out.crlf().toBuffer());
		this.connection.flush();
	}

	/** Sets the status; before the response is committed. */
	public Response status(int status) {
		if (status < 100 || status > 999) {
			throw new IllegalArgumentException("status out of range: " + status);
		}
		this.status = status;
		return this;
	}

	public int status() {
		return this.status;
	}

	/** Adds a header; before the response is committed. */
	public Response header(String name, String value) {
		Headers.checkField(name, value);
		if (name.equalsIgnoreCase("Transfer-Encoding")) {
			throw new IllegalArgumentException("Transfer-Encoding is set by the server");
		}
		this.headers.add(name, value);
		return this;
	}

	public Response contentType(String contentType) {
		return header("Content-Type", contentType);
	}

	/** Whether the status line and headers have been queued. */
	public boolean isCommitted() {
		return this.committed;
	}

	/** Whether the connection is gone: nothing written now reaches the client. */
	public boolean isClosed() {
		return this.connection.isClosed();
	}

	/** Whether the response is complete (all its bytes are queued). */
	public boolean isEnded() {
		return this.ended;
	}

	/** Sends a UTF-8 text body ({@code text/plain} unless a type was set) and ends. */
	public void send(String text) {
		if (!this.headers.contains("Content-Type")) {
			contentType("text/plain; charset=utf-8");
		}
		send(text.getBytes(StandardCharsets.UTF_8));
	}

	/** Sends {@code status}, {@code contentType} and the body, and ends. */
	public void send(int status, String contentType, byte[] body) {
		status(status);
		contentType(contentType);
		send(body);
	}

	/**
	 * Sends the whole body with its {@code Content-Length}, and ends. The array must not
	 * change afterwards.
	 */
	public void send(byte[] body) {
		if (!this.connection.inLoop()) {
			this.connection.execute(() -> send(body));
			return;
		}
		checkNotCommitted();
		AsciiBuilder out = commitHead(body.length, body.length);
		if (!this.head) {
			out.append(body);
			this.bodyBytes = body.length;
		}
		this.connection.io().enqueue(out.toBuffer());
		finish();
	}

	/**
	 * Streams part of the body. Commits the response first: with {@code Content-Length}
	 * when the application set one, else chunked (HTTP/1.1) or delimited by closing
	 * (HTTP/1.0).
	 * @return {@code false} when the queue is over its bound: wait for
	 * {@link #onWritable}
	 */
	public boolean write(ByteBuffer data) {
		if (!this.connection.inLoop()) {
			ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
			this.connection.execute(() -> write(copy));
			return this.connection.io().queuedBytes() + copy.remaining() < this.connection.maxQueuedBytes();
		}
		if (this.ended) {
			throw new IllegalStateException("response already ended");
		}
		if (!this.committed) {
			this.connection.io().enqueue(commitHead(-1, 0).toBuffer());
		}
		int n = data.remaining();
		this.bodyBytes += n;
		if (n > 0 && !this.head) {
			if (this.chunked) {
				SocketIo io = this.connection.io();
				io.enqueue(ByteBuffer.wrap((Long.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII)));
				this.connection.io().enqueue(data);
				this.connection.io().enqueue(ByteBuffer.wrap(LAST_CHUNK, 1, 2));
			}
			else {
				this.connection.io().enqueue(data);
			}
		}
		this.connection.flush();
		return this.connection.io().queuedBytes() < this.connection.maxQueuedBytes();
	}

	public boolean write(byte[] data) {
		return write(ByteBuffer.wrap(data));
	}

	/** Ends a streamed response (or sends an empty one when nothing was written). */
	public void end() {
		if (!this.connection.inLoop()) {
			this.connection.execute(this::end);
			return;
		}
		if (this.ended) {
			return;
		}
		if (!this.committed) {
			this.connection.io().enqueue(commitHead(0, 0).toBuffer());
		}
		else if (this.chunked && !this.head) {
			this.connection.io().enqueue(ByteBuffer.wrap(LAST_CHUNK));
		}
		if (this.declaredLength >= 0 && this.bodyBytes != this.declaredLength && !this.head) {
			this.keepAlive = false;
		}
		finish();
	}

	/**
	 * Sends a file as the whole body with sendfile, and ends. The file is opened on the
	 * calling thread, so a missing file fails here.
	 */
	public void sendFile(Path file) throws IOException {
		FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
		long size;
		try {
			size = channel.size();
		}
		catch (IOException ex) {
			channel.close();
			throw ex;
		}
		Runnable send = () -> {
			checkNotCommitted();
			this.connection.io().enqueue(commitHead(size, 0).toBuffer());
			if (this.head) {
				closeQuietly(channel);
			}
			else {
				this.connection.io().enqueueFile(channel, 0, size);
				this.bodyBytes = size;
			}
			finish();
		};
		if (this.connection.inLoop()) {
			send.run();
		}
		else {
			this.connection.execute(send);
		}
	}

	/** Runs {@code callback} on the event loop once queued bytes are written. */
	public void onWritable(Runnable callback) {
		if (!this.connection.inLoop()) {
			this.connection.execute(() -> onWritable(callback));
			return;
		}
		this.onWritable = callback;
		this.connection.flush();
	}

	/**
	 * Runs {@code callback} on the event loop when the server begins to stop while this
	 * response is still being written, at once if it already has: a long-lived stream
	 * (server-sent events) ends there, so that the stop need not wait for it. Without
	 * one, a stream runs until the grace period ends and is then cut.
	 */
	public void onServerStopping(Runnable callback) {
		if (!this.connection.inLoop()) {
			this.connection.execute(() -> onServerStopping(callback));
			return;
		}
		if (this.ended) {
			return;
		}
		if (this.connection.isServerStopping()) {
			callback.run();
		}
		else {
			this.onServerStopping = callback;
		}
	}

	void notifyServerStopping() {
		Runnable callback = this.onServerStopping;
		if (callback != null && !this.ended) {
			this.onServerStopping = null;
			callback.run();
		}
	}

	void notifyWritable() {
		Runnable callback = this.onWritable;
		if (callback != null) {
			this.onWritable = null;
			callback.run();
		}
	}

	/** Body bytes queued so far. */
	long bodyBytes() {
		return this.bodyBytes;
	}

	/** Whether the connection may carry another request once this response is written. */
	boolean keepAlive() {
		return this.keepAlive;
	}

	private void finish() {
		this.ended = true;
		this.connection.flush();
	}

	private void checkNotCommitted() {
		if (this.committed) {
			throw new IllegalStateException("response already committed");
		}
	}

	/**
	 * Writes the status line and headers.
	 * @param length body length, or -1 when unknown (streamed)
	 * @param extra bytes of body about to be appended, to size the buffer
	 */
	private AsciiBuilder commitHead(long length, int extra) {
		this.committed = true;
		String userLength = this.headers.get("Content-Length");
		if (length < 0 && userLength != null) {
			length = Long.parseLong(userLength.trim());
		}
		boolean bodiless = this.status < 200 || this.status == 204 || this.status == 304;
		this.keepAlive = this.connection.keepAliveAllowed() && !hasConnectionClose();
		if (length < 0 && !bodiless) {
			if (this.minorVersion == 1) {
				this.chunked = true;
			}
			else {
				this.keepAlive = false;
			}
		}
		this.declaredLength = length;
		AsciiBuilder out = new AsciiBuilder(160 + extra);
		out.append(StatusLines.of(this.minorVersion, this.status));
		out.append(HttpDate.line());
		for (int i = 0; i < this.headers.size(); i++) {
			String name = this.headers.name(i);
			if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Connection")) {
				out.append(name).append(": ").append(this.headers.value(i)).crlf();
			}
		}
		if (this.chunked) {
			out.append("Transfer-Encoding: chunked").crlf();
		}
		else if (length >= 0 && this.status != 204 && this.status >= 200) {
			out.append("Content-Length: ").append(length).crlf();
		}
		if (!this.keepAlive) {
			out.append("Connection: close").crlf();
		}
		else if (this.minorVersion == 0) {
			out.append("Connection: keep-alive").crlf();
		}
		return out.crlf();
	}

	private boolean hasConnectionClose() {
		for (String value : this.headers.all("Connection")) {
			if (Tokens.containsToken(value, "close")) {
				return true;
			}
		}
		return false;
	}

	private static void closeQuietly(FileChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// nothing was sent from it
		}
	}

}
