package io.evhttp.server;

import io.evhttp.http.HttpException;
import io.evhttp.upload.FileSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Creates one request's temp files off the event loop, and holds the body bytes that
 * arrive meanwhile.
 *
 * <p>
 * Creating a file is a metadata operation a file system may take long over: ext4 spent
 * ~250 µs of CPU per file here once a few thousand had just been created, and a network
 * file system needs a round trip. On the loop, every other connection of that loop would
 * wait behind it (a {@code GET} behind a thousand uploads starting at once waited half a
 * second). So a body stops while its file is created: the bytes already read wait here,
 * reading pauses, and both resume on the loop once the file is open.
 *
 * <p>
 * Holding bytes means copying them, so only a few are held: when more than
 * {@link #MAX_HELD_BYTES} already wait behind a new file (a fast client streaming a large
 * file, where the first read brings a whole read buffer), the file is created on the
 * loop, once, and those bytes go straight to it. Holding them would copy up to a read
 * buffer per file and keep it in the heap for as many uploads as start at once.
 */
final class FileOpening {

	/** Most bytes held per request while its file is created. */
	static final int MAX_HELD_BYTES = 32 * 1024;

	/** Creates the file; runs on the file executor. */
	@FunctionalInterface
	interface Open {

		FileSink open() throws IOException;

	}

	/** Goes on with the open file, on the loop. */
	@FunctionalInterface
	interface Then {

		void accept(FileSink sink) throws IOException;

	}

	/** Ends a body whose end arrived while its file was created. */
	@FunctionalInterface
	interface Finish {

		void run() throws IOException;

	}

	private final Connection connection;

	private final Request request;

	private final Executor executor;

	/** A file opened but not yet taken by the loop: whoever takes it out owns it. */
	private final AtomicReference<FileSink> handoff = new AtomicReference<>();

	private volatile boolean aborted;

	private boolean opening;

	private boolean endPending;

	/** Body bytes read while a file was being created, not yet parsed. */
	private ByteBuffer held;

	FileOpening(Connection connection, Request request, Executor executor) {
		this.connection = connection;
		this.request = request;
		this.executor = executor;
	}

	/**
	 * Whether a new file with {@code bytesBehind} body bytes already read behind it is
	 * created off the loop, else right away.
	 */
	boolean offLoop(int bytesBehind) {
		return bytesBehind <= MAX_HELD_BYTES;
	}

	/** Whether body bytes must wait: a file is being created, or bytes wait already. */
	boolean isWaiting() {
		return this.opening || this.held != null;
	}

	/** Keeps the rest of {@code data} (copied: it is the loop's read buffer). */
	void hold(ByteBuffer data) {
		int n = data.remaining();
		if (n == 0) {
			return;
		}
		if (this.held == null) {
			this.held = ByteBuffer.allocate(n);
		}
		else if (this.held.remaining() < n) {
			ByteBuffer bigger = ByteBuffer.allocate(this.held.position() + n);
			this.held.flip();
			bigger.put(this.held);
			this.held = bigger;
		}
		this.held.put(data);
	}

	/** Takes the bytes held so far (ready to read), or {@code null}. */
	ByteBuffer takeHeld() {
		ByteBuffer bytes = this.held;
		this.held = null;
		return (bytes != null) ? bytes.flip() : null;
	}

	/**
	 * Pauses the body and creates a file on the executor; {@code then} runs on the loop
	 * with it, unless the request ended meanwhile (the file is then deleted).
	 */
	void open(Open open, Then then) {
		this.opening = true;
		this.connection.pauseBody(this.request, ConnectionTimes.PAUSED_FOR_FILE);
		try {
			this.executor.execute(() -> create(open, then));
		}
		catch (RejectedExecutionException ex) {
			throw new HttpException(503, "server stopping");
		}
	}

	/** The body's end arrived while a file was being created. */
	void endBody() {
		this.endPending = true;
	}

	/**
	 * All held bytes are processed: the body flows again, or, when its end arrived
	 * meanwhile, {@code finish} ends it and the handler may run.
	 */
	void continueBody(Finish finish) throws IOException {
		if (!this.endPending) {
			this.connection.resumeBody(this.request, ConnectionTimes.PAUSED_FOR_FILE);
			return;
		}
		finish.run();
		this.connection.onOffloadedBodyDone(this.request);
	}

	/** The request ended: a file still being created is deleted once it exists. */
	void abort() {
		this.aborted = true;
		this.held = null;
		discardOrphan();
	}

	private void create(Open open, Then then) {
		if (this.aborted) {
			return;
		}
		try {
			this.handoff.set(open.open());
		}
		catch (IOException | RuntimeException ex) {
			this.connection.execute(() -> this.connection.failFromWorker(this.request, BodyReader.failure(ex)));
			return;
		}
		if (this.aborted) {
			discardOrphan();
			return;
		}
		this.connection.execute(() -> opened(then));
	}

	private void opened(Then then) {
		FileSink sink = this.handoff.getAndSet(null);
		if (sink == null) {
			return; // the request ended meanwhile
		}
		this.opening = false;
		try {
			then.accept(sink);
		}
		catch (IOException | RuntimeException ex) {
			this.connection.failFromWorker(this.request, BodyReader.failure(ex));
		}
	}

	/** Deletes a file created for a request that is gone, unless the loop took it. */
	private void discardOrphan() {
		FileSink orphan = this.handoff.getAndSet(null);
		if (orphan != null) {
			orphan.abort();
		}
	}

}
