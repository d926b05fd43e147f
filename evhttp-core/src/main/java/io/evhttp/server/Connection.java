package io.evhttp.server;

import io.evhttp.http.HttpException;
import io.evhttp.internal.http.BodyFraming;
import io.evhttp.internal.http.HeadParser;
import io.evhttp.internal.http.RequestHead;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection, owned by one {@link EventLoop}; only that loop's thread touches
 * it. It moves bytes: it owns the socket, its phase, bytes read ahead, the output queue,
 * the timestamps its timeouts read, and the one way out. A request's body is its
 * {@link RequestBody}'s; running the handler is {@link HandlerDispatch}'s.
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
final class Connection implements RequestBody.Owner {

	private static final Logger log = Logger.getLogger(Connection.class.getName());

	private static final int MAX_DRAIN_BYTES = 4 * 1024 * 1024;

	enum Phase {

		READING_HEAD, READING_BODY, HANDLING, DRAINING, CLOSED

	}

	private final EventLoop loop;

	private final SocketChannel channel;

	private final PortListenerImpl listener;

	private final InetSocketAddress remote;

	private final HeadParser headParser;

	private final RequestStart start;

	private final OutputQueue out = new OutputQueue();

	private final ConnectionTimes times = new ConnectionTimes();

	private SelectionKey key;

	private Phase phase = Phase.READING_HEAD;

	/** Bytes read with an earlier request, waiting until the connection is ready. */
	private ByteBuffer pending;

	private Request request;

	private Response response;

	private RequestBody body;

	private boolean failureReported;

	private boolean closeAfterWrite;

	private long drained;

	private volatile boolean closed;

	Connection(EventLoop loop, SocketChannel channel, PortListenerImpl listener, InetSocketAddress remote) {
		this.loop = loop;
		this.channel = channel;
		this.listener = listener;
		this.remote = remote;
		this.headParser = new HeadParser(loop.options().limits().head());
		this.start = new RequestStart(loop.server(), listener, remote);
		this.times.startIdle(loop.now());
	}

	void attach(SelectionKey key) {
		this.key = key;
	}

	Phase phase() {
		return this.phase;
	}

	/** Whether the connection is closed; may be read from any thread. */
	boolean isClosed() {
		return this.closed;
	}

	boolean isIdle() {
		return this.phase == Phase.READING_HEAD && this.headParser.isIdle() && this.pending == null;
	}

	// ---- reading

	void onReadable() {
		ByteBuffer buf = this.loop.readBuffer();
		buf.clear();
		int n;
		try {
			n = this.channel.read(buf);
		}
		catch (IOException ex) {
			abort("client disconnected: " + ex.getMessage());
			return;
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
		buf.flip();
		if (this.phase == Phase.DRAINING) {
			discard(buf);
			return;
		}
		process(buf);
		if (buf.hasRemaining() && this.phase != Phase.CLOSED) {
			ByteBuffer copy = ByteBuffer.allocate(buf.remaining());
			this.pending = copy.put(buf).flip();
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
				else if (this.phase == Phase.READING_BODY && !this.times.bodyPaused && this.body.isReading()) {
					RequestBody fed = this.body; // the handler may be done with it on
													// return
					fed.feed(buf);
					this.times.bodyBytes = fed.received();
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
		this.request = this.start.request(head, framing, this);
		this.response = new Response(this, this.request);
		this.failureReported = false;
		boolean expectContinue = this.start.admit(this.request, framing);
		if (framing.kind() == BodyFraming.Kind.NONE) {
			dispatch();
			return;
		}
		this.body = this.start.body(this.request, framing, this);
		this.phase = Phase.READING_BODY;
		this.loop.server().stats().onUploadStarted();
		this.times.startBody(this.loop.now());
		this.times.bodyTimeoutNanos = this.request.bodyTimeoutNanos();
		if (expectContinue) {
			this.response.sendInterim(100);
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

	// ---- the body's owner

	@Override
	public boolean isBodyPaused() {
		return this.times.bodyPaused;
	}

	@Override
	public void pauseBody(RequestBody from, PauseReason reason) {
		if (this.body == from && this.phase == Phase.READING_BODY) {
			this.times.pause(this.loop.now(), reason);
			updateInterest();
		}
	}

	@Override
	public void resumeBody(RequestBody from, PauseReason reason) {
		if (this.body == from && this.phase == Phase.READING_BODY && this.times.bodyPaused) {
			this.times.resume(this.loop.now(), reason);
			if (!this.times.bodyPaused && this.pending != null) {
				processPending();
			}
			updateInterest();
		}
	}

	@Override
	public void onBodyComplete(RequestBody from) {
		if (this.body == from && this.phase == Phase.READING_BODY) {
			dispatch();
		}
	}

	@Override
	public void onBodyFailed(RequestBody from, HttpException failure) {
		if (this.body == from && this.phase == Phase.READING_BODY) {
			fail(failure);
		}
	}

	@Override
	public void execute(Runnable task) {
		this.loop.execute(task);
	}

	/** The application's pause: from {@link Request}, any thread. */
	void pauseBody(Request req, PauseReason reason) {
		onLoop(() -> {
			if (this.request == req) {
				pauseBody(this.body, reason);
			}
		});
	}

	void resumeBody(Request req, PauseReason reason) {
		onLoop(() -> {
			if (this.request == req) {
				resumeBody(this.body, reason);
			}
		});
	}

	void drop(Request req) {
		onLoop(() -> {
			if (this.request == req && this.phase != Phase.CLOSED) {
				abort("dropped by the application");
			}
		});
	}

	private void onLoop(Runnable task) {
		if (inLoop()) {
			task.run();
		}
		else {
			execute(task);
		}
	}

	// ---- handling

	private void dispatch() {
		if (this.phase == Phase.READING_BODY) {
			this.loop.server().stats().onUploadEnded();
		}
		this.loop.server().stats().onRequestHandled();
		this.phase = Phase.HANDLING;
		updateInterest();
		HandlerDispatch.run(this.listener.config(), this.request, this.response, this::onHandlerFailed);
	}

	/** A handler failed: on the loop, answered unless its response was under way. */
	private void onHandlerFailed(Request req, HttpException reason) {
		if (this.request != req || this.phase != Phase.HANDLING) {
			return;
		}
		if (this.response.isCommitted()) {
			abort("handler failed after committing the response");
		}
		else {
			answerError(reason);
		}
	}

	// ---- writing

	boolean inLoop() {
		return this.loop.inLoop();
	}

	void enqueue(ByteBuffer buffer) {
		if (this.phase != Phase.CLOSED) {
			this.out.add(buffer);
		}
	}

	void enqueueFile(FileChannel file, long position, long count) {
		if (this.phase != Phase.CLOSED) {
			this.out.addFile(file, position, count);
		}
		else {
			try {
				file.close();
			}
			catch (IOException ex) {
				// the connection is gone already
			}
		}
	}

	long queuedBytes() {
		return this.out.queuedBytes();
	}

	int maxQueuedBytes() {
		return this.loop.options().network().maxResponseBufferBytes();
	}

	boolean keepAliveAllowed() {
		return this.request != null && this.request.keepAliveRequested() && !this.loop.isStopping()
				&& !this.closeAfterWrite;
	}

	void onResponseEnded(Response res) {
		flush();
	}

	/** Writes what is queued; when the response is complete, finishes the request. */
	void flush() {
		if (this.phase == Phase.CLOSED) {
			return;
		}
		try {
			long written = this.out.writeTo(this.channel);
			if (written > 0) {
				this.times.lastWrite = this.loop.now();
				this.times.writeBytes += written;
			}
		}
		catch (IOException ex) {
			abort("client disconnected while writing: " + ex.getMessage());
			return;
		}
		if (this.out.isEmpty()) {
			this.times.writePending = false;
			if (this.phase == Phase.DRAINING) {
				startDraining();
			}
			else if (this.response != null && this.response.isEnded() && this.phase == Phase.HANDLING) {
				onResponseWritten();
			}
			else if (this.response != null) {
				this.response.notifyWritable();
			}
		}
		else if (!this.times.writePending) {
			this.times.writePending = true;
			this.times.lastWrite = this.loop.now();
			this.times.writeStart = this.times.lastWrite;
			this.times.writeBytes = 0;
		}
		updateInterest();
	}

	void onWritable() {
		flush();
	}

	private void onResponseWritten() {
		boolean keepAlive = this.response.keepAlive() && !this.closeAfterWrite;
		endRequest();
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

	/** The request is over: its body is closed and its files removed unless kept. */
	private void endRequest() {
		if (this.phase == Phase.READING_BODY) {
			this.loop.server().stats().onUploadEnded();
		}
		if (this.body != null) {
			this.body.close();
			this.body = null;
		}
		if (this.request != null) {
			this.request.deleteFiles();
		}
		this.request = null;
		this.response = null;
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
		endRequest();
		this.phase = Phase.DRAINING;
		this.pending = null;
		this.out.clear();
		this.out.add(ErrorAnswer.of(ex));
		this.times.drainStart = this.loop.now();
		flush();
	}

	/**
	 * After the error answer is written: stop sending, read and drop input briefly, then
	 * close.
	 */
	private void startDraining() {
		try {
			this.channel.shutdownOutput();
		}
		catch (IOException ex) {
			close();
		}
	}

	private void discard(ByteBuffer buf) {
		this.drained += buf.remaining();
		buf.position(buf.limit());
		if (this.drained > MAX_DRAIN_BYTES) {
			close();
		}
	}

	/** Aborts the request without an answer (client gone, drop()) and closes. */
	void abort(String reason) {
		log.log(Level.FINE, () -> "closing " + this.remote + ": " + reason);
		if (this.request != null && this.phase != Phase.HANDLING && this.phase != Phase.DRAINING) {
			this.loop.server().stats().onRejected(499);
		}
		reportFailure(new HttpException(499, reason));
		close();
	}

	void checkTimeout(TimeoutPolicy policy, long now) {
		switch (policy.check(this.phase, this.times, now)) {
			case NONE -> {
			}
			case CLOSE -> {
				if (this.times.writePending) {
					resetOnClose();
				}
				abort("timed out in " + this.phase);
			}
			case REQUEST_TIMEOUT -> fail(new HttpException(408, "request not received in time"));
		}
	}

	/**
	 * A client that does not take its response: closing resets the connection instead of
	 * leaving the kernel to trickle what its send buffer still holds to that client.
	 */
	private void resetOnClose() {
		try {
			this.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	/** Server stop: closes an idle connection now; others finish their request first. */
	void onServerStopping() {
		if (isIdle()) {
			close();
		}
	}

	private void reportFailure(HttpException ex) {
		if (this.request != null && !this.failureReported && this.phase != Phase.HANDLING) {
			this.failureReported = true;
			try {
				this.listener.config().uploads().onError(this.request, ex);
			}
			catch (RuntimeException callbackFailure) {
				log.log(Level.WARNING, "onError callback failed", callbackFailure);
			}
		}
	}

	/** The one way out: idempotent. */
	void close() {
		if (this.phase == Phase.CLOSED) {
			return;
		}
		endRequest();
		this.phase = Phase.CLOSED;
		this.closed = true;
		this.out.clear();
		this.pending = null;
		if (this.key != null) {
			this.key.cancel();
		}
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.loop.onClosed(this);
	}

	private void updateInterest() {
		if (this.phase == Phase.CLOSED || this.key == null || !this.key.isValid()) {
			return;
		}
		boolean read = this.pending == null && switch (this.phase) {
			case READING_HEAD, DRAINING -> true;
			case READING_BODY -> !this.times.bodyPaused;
			default -> false;
		};
		int ops = (read && !this.closeAfterWrite ? SelectionKey.OP_READ : 0)
				| (this.out.isEmpty() ? 0 : SelectionKey.OP_WRITE);
		if (this.key.interestOps() != ops) {
			this.key.interestOps(ops);
		}
	}

}
