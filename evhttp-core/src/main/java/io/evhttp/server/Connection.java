package io.evhttp.server;

import io.evhttp.http.HttpException;
import io.evhttp.internal.http.BodyFraming;
import io.evhttp.internal.http.HeadParser;
import io.evhttp.internal.http.RequestHead;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection, owned by one {@link EventLoop}; only that loop's thread touches
 * it. It moves bytes: it owns the socket, its phase, bytes read ahead, the output queue,
 * the timestamps its timeouts read, the phase, and the one way out. What belongs to one
 * request (its body, its files, its handler's run) is its {@link Exchange}'s.
 *
 * <pre>
 *   READING_HEAD --head--&gt; READING_BODY --body stored--&gt; HANDLING --response written--&gt; READING_HEAD
 *        |  (no body) ----------------------------------------^            (or CLOSED)
 *   any --refused (4xx)--&gt; DRAINING (answer written, input discarded) --&gt; CLOSED
 *   any --I/O error, EOF, drop(), timeout--&gt; CLOSED
 * </pre>
 *
 * <p>
 * One request is handled at a time: while a request is handled, reading stops, and bytes
 * of pipelined requests wait (in the socket, or in {@code pending} when they arrived in
 * the same read), so responses go out in request order. Every way out ends in
 * {@link #close}, which is idempotent, reports the failure to the listener once and
 * removes the request's files.
 */
final class Connection {

	private static final Logger log = Logger.getLogger(Connection.class.getName());

	enum Phase {

		READING_HEAD, READING_BODY, HANDLING, DRAINING, CLOSED

	}

	private final EventLoop loop;

	private final SocketIo io;

	private final PortListenerImpl listener;

	private final InetSocketAddress remote;

	private final HeadParser headParser;

	private final RequestStart start;

	private final ConnectionTimes times = new ConnectionTimes();

	private Phase phase = Phase.READING_HEAD;

	/** Bytes read with an earlier request, waiting until the connection is ready. */
	private ByteBuffer pending;

	/** The request being received or answered, or {@code null} between requests. */
	private Exchange exchange;

	private boolean closeAfterWrite;

	/**
	 * A pause asked for from {@link UploadListener#onHead}, applied as the body starts.
	 */
	private PauseReason pauseAtBodyStart;

	Connection(EventLoop loop, SocketChannel channel, PortListenerImpl listener, InetSocketAddress remote) {
		this.loop = loop;
		TlsOptions tls = listener.config().tls();
		this.io = new SocketIo(channel, this.times,
				(tls != null) ? new TlsIo(channel, tls, remote, loop::execute, this::onTlsReady) : null);
		this.listener = listener;
		this.remote = remote;
		this.headParser = new HeadParser(loop.options().limits().head());
		this.start = new RequestStart(loop.server(), listener, remote);
		this.times.startIdle(loop.now());
	}

	void attach(SelectionKey key) {
		this.io.attach(key);
	}

	Phase phase() {
		return this.phase;
	}

	/** Whether the connection is closed; may be read from any thread. */
	boolean isClosed() {
		return this.io.isClosed();
	}

	boolean isIdle() {
		return this.phase == Phase.READING_HEAD && this.headParser.isIdle() && this.pending == null;
	}

	// ---- reading

	void onReadable() {
		if (!this.io.wantsRead()) {
			this.io.dropReadInterest(); // left on while reading paused
										// (SocketIo.interest)
			return;
		}
		boolean handshaking = this.io.isHandshaking();
		if (handshaking && this.times.headStart < 0) {
			// the head timeout covers the handshake
			this.times.headStart = this.loop.now();
		}
		ByteBuffer buf = this.loop.readBuffer();
		int n;
		try {
			n = this.io.read(buf);
		}
		catch (IOException ex) {
			abort("client disconnected: " + ex.getMessage());
			return;
		}
		if (handshaking && !this.io.isHandshaking()) {
			// idle until a request begins, as in cleartext
			this.times.startIdle(this.loop.now());
		}
		if (n < 0) {
			onEof();
			return;
		}
		if (n == 0) {
			return;
		}
		this.times.lastRead = this.loop.now();
		this.loop.server().stats().onBytes(n);
		if (this.phase == Phase.DRAINING) {
			if (!this.io.discard(buf)) {
				close();
			}
			return;
		}
		process(buf);
		if (buf.hasRemaining() && this.phase != Phase.CLOSED) {
			ByteBuffer copy = ByteBuffer.allocate(buf.remaining());
			this.pending = copy.put(buf).flip();
			updateInterest();
		}
	}

	/**
	 * TLS can go on without the socket saying so: a delegated task is done, or whole
	 * records wait decrypted-to-be.
	 */
	private void onTlsReady() {
		if (this.phase == Phase.CLOSED) {
			return;
		}
		try {
			if (this.io.wantsRead()) {
				onReadable();
			}
		}
		catch (RuntimeException ex) {
			log.log(Level.WARNING, "connection failed unexpectedly", ex);
			close();
			return;
		}
		if (this.phase != Phase.CLOSED) {
			updateInterest();
		}
	}

	private void onEof() {
		if (this.phase == Phase.READING_HEAD && this.headParser.isIdle() || this.phase == Phase.DRAINING) {
			close();
		}
		else if (this.phase == Phase.HANDLING) {
			// half-closed: the client may still read the answer
			this.closeAfterWrite = true;
			updateInterest();
		}
		else {
			abort("client disconnected mid-request");
		}
	}

	/**
	 * Feeds bytes to the current step until they run out or the step waits for something
	 * else.
	 */
	private void process(ByteBuffer buf) {
		try {
			while (buf.hasRemaining()) {
				if (this.phase == Phase.READING_HEAD) {
					if (this.headParser.isIdle()) {
						this.times.headStart = this.loop.now();
					}
					RequestHead head = this.headParser.parse(buf);
					if (head == null) {
						return;
					}
					onHead(head);
				}
				else if (this.phase == Phase.READING_BODY && !this.times.bodyPaused && this.exchange.isReadingBody()) {
					this.times.bodyBytes = this.exchange.feed(buf);
				}
				else {
					return;
				}
			}
		}
		catch (HttpException ex) {
			fail(ex);
		}
		catch (IOException ex) {
			fail(BodyFailures.storeError(ex));
		}
		catch (RuntimeException ex) {
			log.log(Level.WARNING, "unexpected failure on " + this.remote, ex);
			fail(new HttpException(500, "internal error: " + ex, ex));
		}
	}

	private void onHead(RequestHead head) {
		BodyFraming framing = BodyFraming.of(head);
		this.pauseAtBodyStart = null;
		this.exchange = new Exchange(this, this.listener.config(), this.start, head, framing);
		Request request = this.exchange.request();
		boolean expectContinue = this.start.admit(request, framing);
		if (framing.kind() == BodyFraming.Kind.NONE) {
			this.pauseAtBodyStart = null;
			dispatch();
			return;
		}
		this.exchange.readBody(this.start.body(request, framing, this.exchange));
		this.phase = Phase.READING_BODY;
		this.loop.server().stats().onUploadStarted();
		this.times.startBody(this.loop.now());
		this.times.bodyTimeoutNanos = request.settings().bodyTimeoutNanos;
		if (this.pauseAtBodyStart != null) {
			this.times.pause(this.loop.now(), this.pauseAtBodyStart);
			this.pauseAtBodyStart = null;
			updateInterest();
		}
		if (expectContinue) {
			this.exchange.response().sendInterim(100);
		}
	}

	/**
	 * Processes bytes that arrived with an earlier request, once the connection is ready
	 * for them.
	 */
	private void processPending() {
		ByteBuffer buf = this.pending;
		if (buf == null || this.phase == Phase.CLOSED) {
			return;
		}
		this.pending = null;
		process(buf);
		if (buf.hasRemaining() && this.phase != Phase.CLOSED) {
			this.pending = buf;
		}
		updateInterest();
	}

	// ---- for the exchange: on the loop, and only while it is current

	boolean isBodyPaused() {
		return this.times.bodyPaused;
	}

	void pauseBody(Exchange from, PauseReason reason) {
		if (this.exchange == from && this.phase == Phase.READING_BODY) {
			this.times.pause(this.loop.now(), reason);
			updateInterest();
		}
		else if (this.exchange == from && this.phase == Phase.READING_HEAD) {
			this.pauseAtBodyStart = reason; // from onHead: no body byte is read until
											// resumed
		}
	}

	void resumeBody(Exchange from, PauseReason reason) {
		if (this.exchange == from && this.phase == Phase.READING_HEAD && this.pauseAtBodyStart == reason) {
			this.pauseAtBodyStart = null;
		}
		if (this.exchange == from && this.phase == Phase.READING_BODY && this.times.bodyPaused) {
			this.times.resume(this.loop.now(), reason);
			if (!this.times.bodyPaused && this.pending != null) {
				processPending();
			}
			updateInterest();
		}
	}

	void onBodyStored(Exchange from) {
		if (this.exchange == from && this.phase == Phase.READING_BODY) {
			dispatch();
		}
	}

	void onBodyFailed(Exchange from, HttpException failure) {
		if (this.exchange == from && this.phase == Phase.READING_BODY) {
			fail(failure);
		}
	}

	/** A handler failed: answered unless its response was under way. */
	void onHandlerFailed(Exchange from, HttpException reason) {
		if (this.exchange != from || this.phase != Phase.HANDLING) {
			return;
		}
		if (from.response().isCommitted()) {
			abort("handler failed after committing the response");
		}
		else {
			answerError(reason);
		}
	}

	void abort(Exchange from, String reason) {
		if (this.exchange == from && this.phase != Phase.CLOSED) {
			abort(reason);
		}
	}

	void execute(Runnable task) {
		this.loop.execute(task);
	}

	// ---- handling

	private void dispatch() {
		if (this.phase == Phase.READING_BODY) {
			this.loop.server().stats().onUploadEnded();
		}
		this.loop.server().stats().onRequestHandled();
		this.phase = Phase.HANDLING;
		updateInterest();
		this.exchange.dispatch();
	}

	// ---- writing: for the response

	boolean inLoop() {
		return this.loop.inLoop();
	}

	SocketIo io() {
		return this.io;
	}

	/** The TLS session, {@code null} in cleartext; the handshake is done by now. */
	javax.net.ssl.SSLSession sslSession() {
		return (this.io.tls() != null) ? this.io.tls().session() : null;
	}

	int maxQueuedBytes() {
		return this.loop.options().network().maxResponseBufferBytes();
	}

	boolean keepAliveAllowed() {
		return this.exchange != null && this.exchange.request().keepAliveRequested() && !this.loop.isStopping()
				&& !this.closeAfterWrite;
	}

	/** Writes what is queued; when the response is complete, finishes the request. */
	void flush() {
		if (this.phase == Phase.CLOSED) {
			return;
		}
		boolean written;
		try {
			written = this.io.write(this.loop.now());
		}
		catch (IOException ex) {
			abort("client disconnected while writing: " + ex.getMessage());
			return;
		}
		if (written) {
			if (this.phase == Phase.DRAINING) {
				// the answer is out: stop sending, read and drop input briefly, then
				// close
				if (!this.io.shutdownOutput()) {
					close();
				}
			}
			else if (this.exchange != null && this.phase == Phase.HANDLING && this.exchange.response().isEnded()) {
				onResponseWritten();
			}
			else if (this.exchange != null) {
				this.exchange.response().notifyWritable();
			}
		}
		updateInterest();
	}

	void onWritable() {
		flush();
	}

	private void onResponseWritten() {
		boolean keepAlive = this.exchange.response().keepAlive() && !this.closeAfterWrite;
		endRequest(this.exchange.response().status());
		if (!keepAlive || this.loop.isStopping() && this.pending == null) {
			close();
			return;
		}
		this.phase = Phase.READING_HEAD;
		this.headParser.reset();
		this.times.startIdle(this.loop.now());
		if (this.pending != null) {
			this.loop.execute(this::processPending);
		}
		updateInterest();
	}

	/**
	 * The request is over with {@code status} (499: no answer): its body is closed and
	 * its files removed unless kept.
	 */
	private void endRequest(int status) {
		if (this.phase == Phase.READING_BODY) {
			this.loop.server().stats().onUploadEnded();
		}
		if (this.exchange != null) {
			this.exchange.end(status);
			this.exchange = null;
		}
	}

	// ---- failures

	/**
	 * A request refused by a parser, a limit or a listener: answer, then drain and close.
	 */
	private void fail(HttpException ex) {
		if (this.phase == Phase.CLOSED || this.phase == Phase.DRAINING) {
			return;
		}
		log.log(Level.FINE, () -> "refusing request from " + this.remote + " with " + ex.status() + ": " + ex.reason());
		reportFailure(ex);
		this.loop.server().stats().onRejected(ex.status());
		answerError(ex);
	}

	private void answerError(HttpException ex) {
		endRequest(ex.status());
		this.phase = Phase.DRAINING;
		this.pending = null;
		this.io.clearOutput();
		this.io.enqueue(ErrorAnswer.of(ex));
		this.times.drainStart = this.loop.now();
		flush();
	}

	/** Aborts the request without an answer (client gone, drop()) and closes. */
	void abort(String reason) {
		log.log(Level.FINE, () -> "closing " + this.remote + ": " + reason);
		if (this.exchange != null && this.phase != Phase.HANDLING && this.phase != Phase.DRAINING) {
			this.loop.server().stats().onRejected(499);
		}
		reportFailure(new HttpException(499, reason));
		close();
	}

	void checkTimeout(TimeoutPolicy policy, long now) {
		TimeoutPolicy.Verdict verdict = policy.check(this.phase, this.times, now);
		if (verdict != TimeoutPolicy.Verdict.NONE && this.io.isHandshaking()) {
			abort("TLS handshake not finished in time");
			return;
		}
		switch (verdict) {
			case NONE -> {
			}
			case CLOSE -> {
				if (this.times.writePending) {
					this.io.resetOnClose();
				}
				abort("timed out in " + this.phase);
			}
			case REQUEST_TIMEOUT -> fail(new HttpException(408, "request not received in time"));
		}
	}

	/** Server stop: closes an idle connection now; others finish their request first. */
	void onServerStopping() {
		if (isIdle()) {
			close();
		}
		else if (this.exchange != null && this.phase == Phase.HANDLING) {
			this.exchange.response().notifyServerStopping();
		}
	}

	boolean isServerStopping() {
		return this.loop.isStopping();
	}

	private void reportFailure(HttpException ex) {
		if (this.exchange != null && this.phase != Phase.HANDLING) {
			this.exchange.reportFailure(ex);
		}
		else if (this.exchange == null) {
			try {
				this.listener.config().uploads().onHeadRefused(ex);
			}
			catch (RuntimeException callbackFailure) {
				log.log(Level.WARNING, "onHeadRefused callback failed", callbackFailure);
			}
		}
	}

	/** The one way out: idempotent. */
	void close() {
		if (this.phase == Phase.CLOSED) {
			return;
		}
		endRequest(499);
		this.phase = Phase.CLOSED;
		this.pending = null;
		this.io.close();
		this.loop.onClosed(this);
	}

	private void updateInterest() {
		boolean read = this.pending == null && switch (this.phase) {
			case READING_HEAD, DRAINING -> true;
			case READING_BODY -> !this.times.bodyPaused;
			default -> false;
		};
		this.io.interest(read && !this.closeAfterWrite);
	}

}
