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

	private final Connection connection;

	private final Request request;

	private final Executor executor;

	/** A file opened but not yet taken by the loop: whoever takes it out owns it. */
	private final AtomicReference<FileSink> handoff = new AtomicReference<>();

	private volatile boolean aborted;

	private boolean opening;

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

	/** The body flows again (all held bytes were taken). */
	void resume() {
		this.connection.resumeBody(this.request, ConnectionTimes.PAUSED_FOR_FILE);
	}

	/** The body, whose end arrived while a file was created, is now all processed. */
	void bodyDone() {
		this.connection.onOffloadedBodyDone(this.request);
	}

	/** The request ended: a file still being created is deleted once it exists. */
	void abort() {
		this.aborted = true;
		this.held = null;
		FileSink orphan = this.handoff.getAndSet(null);
		if (orphan != null) {
			orphan.abort();
		}
	}

	private void create(Open open, Then then) {
		if (this.aborted) {
			return;
		}
		FileSink sink;
		try {
			sink = open.open();
		}
		catch (IOException ex) {
			failOnLoop(BodyReader.diskError(ex));
			return;
		}
		catch (HttpException ex) {
			failOnLoop(ex);
			return;
		}
		catch (RuntimeException ex) {
			failOnLoop(new HttpException(500, "creating a temp file failed: " + ex, ex));
			return;
		}
		this.handoff.set(sink);
		if (this.aborted) {
			FileSink orphan = this.handoff.getAndSet(null);
			if (orphan != null) {
				orphan.abort();
			}
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
		catch (HttpException ex) {
			this.connection.failFromWorker(this.request, ex);
		}
		catch (IOException ex) {
			this.connection.failFromWorker(this.request, BodyReader.diskError(ex));
		}
		catch (RuntimeException ex) {
			this.connection.failFromWorker(this.request, new HttpException(500, "body processing failed: " + ex, ex));
		}
	}

	private void failOnLoop(HttpException ex) {
		this.connection.execute(() -> this.connection.failFromWorker(this.request, ex));
	}

}
