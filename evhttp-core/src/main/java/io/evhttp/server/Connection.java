package io.evhttp.server;

import io.evhttp.form.UrlencodedDecoder;
import io.evhttp.http.BodyFraming;
import io.evhttp.http.ChunkedDecoder;
import io.evhttp.http.HeadParser;
import io.evhttp.http.HttpException;
import io.evhttp.http.RequestHead;
import io.evhttp.http.RequestTarget;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection, owned by one {@link EventLoop}; only that loop's thread touches
 * it.
 *
 * <pre>
 *   READING_HEAD --head--&gt; READING_BODY --body complete--&gt; HANDLING --response written--&gt; READING_HEAD
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
 * deletes the request's files.
 */
final class Connection {

	private static final Logger log = Logger.getLogger(Connection.class.getName());

	private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	private static final int MAX_DRAIN_BYTES = 4 * 1024 * 1024;

	/** A chunked body's disk reservation grows by at least this much at a time. */
	private static final long CHUNKED_RESERVATION = 1024 * 1024;

	enum Phase {

		READING_HEAD, READING_BODY, HANDLING, DRAINING, CLOSED

	}

	private final EventLoop loop;

	private final SocketChannel channel;

	private final PortListenerImpl listener;

	private final InetSocketAddress remote;

	private final HeadParser headParser;

	/** The peer's address as text, formatted once. */
	private final String remoteText;

	private final OutputQueue out = new OutputQueue();

	private final ConnectionTimes times = new ConnectionTimes();

	private SelectionKey key;

	private Phase phase = Phase.READING_HEAD;

	private ByteBuffer pending;

	private Request request;

	private Response response;

	private BodyReader body;

	private BodyFraming framing;

	private long bodyRemaining;

	private long maxRequestBytes;

	/** The body is complete, its last bytes may still be on their way to disk. */
	private boolean bodyDone;

	/** Bytes of the disk budget held by the current request. */
	private long reserved;

	private ChunkedDecoder chunked;

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
		this.remoteText = remote.getAddress().getHostAddress();
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
	// -------------------------------------------------------------------------

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
			keepPending(buf);
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
				else if (this.phase == Phase.READING_BODY && !this.times.bodyPaused) {
					readBody(buf);
				}
				else {
					return;
				}
			}
		}
		catch (HttpException ex) {
			fail(ex);
		}
		catch (RuntimeException ex) {
			log.log(Level.WARNING, "unexpected failure on " + this.remote, ex);
			fail(new HttpException(500, "internal error: " + ex, ex));
		}
	}

	private void onHead(RequestHead head) {
		this.framing = BodyFraming.of(head);
		ServerOptions options = this.loop.options();
		RequestTarget target = RequestTarget.parse(head.method(), head.target());
		Map<String, List<String>> query = decodeQuery(target.rawQuery(), options);
		String clientIp = this.loop.server().clientIp(this.remote.getAddress(), this.remoteText, head);
		long declared = (this.framing.kind() == BodyFraming.Kind.LENGTH) ? this.framing.length()
				: (this.framing.kind() == BodyFraming.Kind.NONE) ? 0 : -1;
		this.request = new Request(this.loop.server().nextRequestId(), head, target, query, this.remote, clientIp,
				this.listener.port(), declared, this);
		this.response = new Response(this, this.request);
		this.failureReported = false;
		boolean expectContinue = false;
		String expect = head.headers().get("Expect");
		if (expect != null) {
			if (!expect.equalsIgnoreCase("100-continue")) {
				throw new HttpException(417, "unsupported expectation: " + expect);
			}
			expectContinue = head.minorVersion() == 1;
		}
		UploadContext context = this.listener.uploadContext();
		context.uploads().onHead(this.request);
		this.maxRequestBytes = this.request.maxRequestBytesOr(options.limits().maxRequestBytes());
		if (this.maxRequestBytes >= 0 && declared > this.maxRequestBytes) {
			throw new HttpException(413, "declared body of " + declared + " bytes over " + this.maxRequestBytes);
		}
		if (this.framing.kind() == BodyFraming.Kind.NONE) {
			dispatch();
			return;
		}
		this.body = BodyReader.forRequest(this.request, context, this);
		if (this.body.writesFiles() && declared > 0) {
			reserve(declared);
		}
		this.bodyRemaining = this.framing.length();
		this.chunked = (this.framing.kind() == BodyFraming.Kind.CHUNKED)
				? new ChunkedDecoder(options.limits().head().maxHeaderBytes()) : null;
		this.phase = Phase.READING_BODY;
		this.bodyDone = false;
		this.loop.server().stats().onUploadStarted();
		this.times.startBody(this.loop.now());
		this.times.bodyTimeoutNanos = this.request.bodyTimeoutNanos();
		if (expectContinue) {
			this.out.add(ByteBuffer.wrap(CONTINUE));
			flush();
		}
	}

	private static Map<String, List<String>> decodeQuery(String rawQuery, ServerOptions options) {
		if (rawQuery == null || rawQuery.isEmpty()) {
			return Collections.emptyMap();
		}
		Map<String, List<String>> query = new LinkedHashMap<>();
		UrlencodedDecoder.decode(rawQuery, options.limits().query(), 414,
				(name, value) -> query.computeIfAbsent(name, (k) -> new ArrayList<>(1)).add(value));
		return Collections.unmodifiableMap(query);
	}

	private void readBody(ByteBuffer buf) throws HttpException {
		try {
			if (this.chunked == null) {
				int n = (int) Math.min(this.bodyRemaining, buf.remaining());
				int end = buf.position() + n;
				this.bodyRemaining -= n;
				this.times.bodyBytes += n;
				this.request.setBytesReceived(this.times.bodyBytes);
				handOver(buf, end);
				if (this.bodyRemaining == 0) {
					endBody();
				}
				return;
			}
			int n;
			while (!this.times.bodyPaused && (n = this.chunked.nextData(buf)) > 0) {
				this.times.bodyBytes += n;
				this.request.setBytesReceived(this.times.bodyBytes);
				if (this.maxRequestBytes >= 0 && this.times.bodyBytes > this.maxRequestBytes) {
					throw new HttpException(413, "chunked body over " + this.maxRequestBytes + " bytes");
				}
				if (this.times.bodyBytes > this.reserved && this.body.writesFiles()) {
					reserve(Math.max(CHUNKED_RESERVATION, this.times.bodyBytes - this.reserved));
				}
				handOver(buf, buf.position() + n);
			}
			if (this.chunked.isDone()) {
				endBody();
			}
		}
		catch (IOException ex) {
			throw BodyReader.diskError(ex);
		}
	}

	/**
	 * Hands the body bytes from {@code buf}'s position to {@code end} to the reader: the
	 * read buffer itself, narrowed to them (no slice per read or chunk), then moved past.
	 */
	private void handOver(ByteBuffer buf, int end) throws IOException {
		int limit = buf.limit();
		buf.limit(end);
		try {
			this.body.onData(buf);
		}
		finally {
			buf.limit(limit).position(end);
		}
	}

	private void endBody() throws IOException {
		if (this.body.completesLater()) {
			// the disk catches up on another thread; no reading and no timeout meanwhile
			this.bodyDone = true;
			this.times.pause(this.loop.now(), ConnectionTimes.PAUSED_BODY_DONE);
			updateInterest();
			this.body.onEnd();
			return;
		}
		this.body.onEnd();
		dispatch();
	}

	/** An offloaded body is all on disk: the handler may run. */
	void onOffloadedBodyDone(Request req) {
		if (this.request == req && this.phase == Phase.READING_BODY) {
			dispatch();
		}
	}

	/** A body step failed on the disk executor. */
	void failFromWorker(Request req, HttpException ex) {
		if (this.request == req && this.phase == Phase.READING_BODY) {
			fail(ex);
		}
	}

	private void reserve(long bytes) {
		this.loop.server().diskBudget().reserve(bytes);
		this.reserved += bytes;
	}

	private void releaseReservation() {
		if (this.reserved > 0) {
			this.loop.server().diskBudget().release(this.reserved);
			this.reserved = 0;
		}
	}

	private void keepPending(ByteBuffer buf) {
		ByteBuffer copy = ByteBuffer.allocate(buf.remaining());
		copy.put(buf).flip();
		this.pending = copy;
		updateInterest();
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

	// ---- handling
	// ------------------------------------------------------------------------

	private void dispatch() {
		if (this.phase == Phase.READING_BODY) {
			this.loop.server().stats().onUploadEnded();
		}
		this.loop.server().stats().onRequestHandled();
		this.phase = Phase.HANDLING;
		this.body = null;
		updateInterest();
		Request req = this.request;
		Response res = this.response;
		if (this.listener.config().executor() == null) {
			invokeHandler(req, res);
		}
		else {
			try {
				this.listener.config().executor().execute(() -> invokeHandler(req, res));
			}
			catch (RuntimeException ex) {
				fail(new HttpException(503, "handler executor refused the request: " + ex));
			}
		}
	}

	private void invokeHandler(Request req, Response res) {
		try {
			this.listener.config().handler().handle(req, res);
		}
		catch (Throwable ex) {
			HttpException reason = (ex instanceof HttpException he) ? he : new HttpException(500, "handler failed", ex);
			if (!(ex instanceof HttpException)) {
				log.log(Level.WARNING, "handler failed for " + req, ex);
			}
			execute(() -> {
				if (this.request == req) {
					if (res.isCommitted()) {
						abort("handler failed after committing the response");
					}
					else {
						answerError(reason);
					}
				}
			});
		}
	}

	// ---- writing
	// -------------------------------------------------------------------------

	boolean inLoop() {
		return this.loop.inLoop();
	}

	void execute(Runnable task) {
		this.loop.execute(task);
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
		finishRequest();
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

	private void finishRequest() {
		this.bodyDone = false;
		releaseReservation();
		if (this.request != null) {
			this.request.deleteFiles();
		}
		this.request = null;
		this.response = null;
		this.body = null;
		this.chunked = null;
		this.framing = null;
	}

	// ---- failures
	// ------------------------------------------------------------------------

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
		endUpload();
		cleanupBody();
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

	void drop(Request req) {
		if (!inLoop()) {
			execute(() -> drop(req));
			return;
		}
		if (this.request == req && this.phase != Phase.CLOSED) {
			abort("dropped by the application");
		}
	}

	/**
	 * Stops reading the body for {@code reason} (a {@code ConnectionTimes.PAUSED_*} bit).
	 */
	void pauseBody(Request req, int reason) {
		if (!inLoop()) {
			execute(() -> pauseBody(req, reason));
			return;
		}
		if (this.request == req && this.phase == Phase.READING_BODY) {
			this.times.pause(this.loop.now(), reason);
			updateInterest();
		}
	}

	/** Lifts {@code reason}; the body flows again once no reason holds it. */
	void resumeBody(Request req, int reason) {
		if (!inLoop()) {
			execute(() -> resumeBody(req, reason));
			return;
		}
		if (this.request == req && this.phase == Phase.READING_BODY && this.times.bodyPaused) {
			this.times.resume(this.loop.now(), reason);
			if (!this.times.bodyPaused && this.pending != null) {
				processPending();
			}
			updateInterest();
		}
	}

	void checkTimeout(TimeoutPolicy policy, long now) {
		switch (policy.check(this.phase, this.times, now)) {
			case NONE -> {
			}
			case CLOSE -> {
				if (this.times.writePending) {
					discardUnsent();
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
	private void discardUnsent() {
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
				this.listener.uploadContext().uploads().onError(this.request, ex);
			}
			catch (RuntimeException callbackFailure) {
				log.log(Level.WARNING, "onError callback failed", callbackFailure);
			}
		}
	}

	private void cleanupBody() {
		releaseReservation();
		if (this.body != null) {
			this.body.abort();
			this.body = null;
		}
		if (this.request != null) {
			this.request.deleteFiles();
		}
	}

	private void endUpload() {
		if (this.phase == Phase.READING_BODY) {
			this.loop.server().stats().onUploadEnded();
		}
	}

	/** The one way out: idempotent. */
	void close() {
		if (this.phase == Phase.CLOSED) {
			return;
		}
		endUpload();
		cleanupBody();
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
