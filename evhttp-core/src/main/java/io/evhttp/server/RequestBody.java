package io.evhttp.server;

import io.evhttp.http.HttpException;
import io.evhttp.internal.http.BodyFraming;
import io.evhttp.internal.http.ChunkedDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One request's body on its way in: framing (a declared length, or chunks), the byte
 * count against the request's limit, the disk budget it holds, and the
 * {@link ContentReader} that takes its content. The connection feeds it; readers answer
 * through it, as their {@link BodyControl}.
 *
 * <pre>
 *   READING --last byte on the wire--&gt; STORING --everything stored--&gt; COMPLETE
 *   READING, STORING --failure, close--&gt; ENDED
 * </pre>
 *
 * Loop only, but for the {@link BodyControl} calls that say they may come from anywhere.
 */
final class RequestBody implements BodyControl {

	/** What the body needs of its connection. */
	interface Owner {

		/** Whether any reason holds the body: nothing is fed meanwhile. */
		boolean isBodyPaused();

		void pauseBody(RequestBody body, PauseReason reason);

		void resumeBody(RequestBody body, PauseReason reason);

		/** Everything is stored: the handler may run. */
		void onBodyComplete(RequestBody body);

		void onBodyFailed(RequestBody body, HttpException failure);

		/** Runs {@code task} on the connection's loop. Any thread. */
		void execute(Runnable task);

	}

	private enum State {

		READING, STORING, COMPLETE, ENDED

	}

	/** A chunked body's disk reservation grows by at least this much at a time. */
	private static final long CHUNKED_RESERVATION = 1024 * 1024;

	private final Owner owner;

	private final Request request;

	private final DiskBudget budget;

	private final long maxBytes;

	private final ChunkedDecoder chunked;

	private final ContentReader reader;

	private long remaining;

	private long received;

	private long reserved;

	private State state = State.READING;

	/**
	 * Starts reading a body; the request's listener may refuse it here (a thrown
	 * {@link HttpException}), and a declared length is reserved in the disk budget.
	 * @param maxBytes largest body, or -1 for no limit
	 */
	RequestBody(Owner owner, Request request, BodyFraming framing, BodyContext context, DiskBudget budget,
			long maxBytes, int maxChunkLineBytes) {
		this.owner = owner;
		this.request = request;
		this.budget = budget;
		this.maxBytes = maxBytes;
		this.remaining = framing.length();
		this.chunked = (framing.kind() == BodyFraming.Kind.CHUNKED) ? new ChunkedDecoder(maxChunkLineBytes) : null;
		this.reader = ContentReaders.forRequest(request, context, this);
		if (this.reader.storesFiles() && framing.length() > 0) {
			reserve(framing.length());
		}
	}

	/** Body bytes received so far (chunk framing excluded). */
	long received() {
		return this.received;
	}

	/** Whether the body is still being read from the wire. */
	boolean isReading() {
		return this.state == State.READING;
	}

	/**
	 * Takes body bytes from {@code buf}, advancing its position, until they run out, the
	 * body is paused, or its last byte is read (what follows is the next request's).
	 */
	void feed(ByteBuffer buf) throws IOException {
		if (this.chunked == null) {
			int n = (int) Math.min(this.remaining, buf.remaining());
			this.remaining -= n;
			count(n);
			handOver(buf, buf.position() + n);
			if (this.remaining == 0) {
				end();
			}
			return;
		}
		int n;
		while (this.state == State.READING && !this.owner.isBodyPaused() && (n = this.chunked.nextData(buf)) > 0) {
			count(n);
			if (this.maxBytes >= 0 && this.received > this.maxBytes) {
				throw new HttpException(413, "chunked body over " + this.maxBytes + " bytes").withCode("body-too-large")
					.withLimit(this.maxBytes);
			}
			if (this.received > this.reserved && this.reader.storesFiles()) {
				reserve(Math.max(CHUNKED_RESERVATION, this.received - this.reserved));
			}
			handOver(buf, buf.position() + n);
		}
		if (this.state == State.READING && this.chunked.isDone()) {
			end();
		}
	}

	/**
	 * The request is over (answered, failed or closed): removes what is not stored whole,
	 * and gives back the disk budget. Idempotent.
	 */
	void close() {
		if (this.state != State.COMPLETE && this.state != State.ENDED) {
			this.reader.abort();
		}
		this.state = State.ENDED;
		if (this.reserved > 0) {
			this.budget.release(this.reserved);
			this.reserved = 0;
		}
	}

	// ---- BodyControl, for the reader and its files

	@Override
	public void pause(PauseReason reason) {
		this.owner.pauseBody(this, reason);
	}

	@Override
	public void resume(PauseReason reason) {
		this.owner.execute(() -> this.owner.resumeBody(this, reason));
	}

	@Override
	public void onLoop(Runnable task) {
		this.owner.execute(() -> {
			if (this.state == State.READING || this.state == State.STORING) {
				try {
					task.run();
				}
				catch (RuntimeException ex) {
					failNow(ex);
				}
			}
		});
	}

	@Override
	public void complete() {
		if (this.state == State.READING || this.state == State.STORING) {
			this.state = State.COMPLETE;
			this.owner.onBodyComplete(this);
		}
	}

	@Override
	public void fail(Throwable failure) {
		this.owner.execute(() -> failNow(failure));
	}

	private void failNow(Throwable failure) {
		if (this.state == State.READING || this.state == State.STORING) {
			this.owner.onBodyFailed(this, BodyFailures.of(failure));
		}
	}

	private void count(int n) {
		this.received += n;
		this.request.setBytesReceived(this.received);
	}

	/**
	 * Hands the bytes from {@code buf}'s position to {@code end} to the reader: the read
	 * buffer itself, narrowed to them (no slice per read or chunk), then moved past.
	 */
	private void handOver(ByteBuffer buf, int end) throws IOException {
		int limit = buf.limit();
		buf.limit(end);
		try {
			this.reader.onData(buf);
		}
		finally {
			buf.limit(limit).position(end);
		}
	}

	private void end() throws IOException {
		this.state = State.STORING;
		this.reader.onEnd();
		if (this.state == State.STORING) {
			// the store catches up on another thread: no reading and no body timeout
			// meanwhile
			this.owner.pauseBody(this, PauseReason.STORING);
		}
	}

	private void reserve(long bytes) {
		this.budget.reserve(bytes);
		this.reserved += bytes;
	}

}
