package io.evhttp.server;

import io.evhttp.http.HttpException;
import io.evhttp.upload.DigestAlgorithm;
import io.evhttp.upload.UploadSink;
import io.evhttp.upload.UploadStore;
import io.evhttp.upload.UploadTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One file's way from the read buffer into the store: the one place files are opened,
 * written, counted, digested, finished and discarded, whatever the store.
 *
 * <pre>
 *   NEW --open, at once--&gt; OPEN --finish--&gt; FINISHING --stored--&gt; RECEIVED
 *    \--open, off the loop or in a later pass--&gt; OPENING --created--&gt; OPEN
 *   any --discard--&gt; DISCARDED
 * </pre>
 *
 * <p>
 * A store whose creation may block (a network round trip, a slow disk: see
 * {@link UploadStore#createMayBlock}) is called on the file executor while the reader
 * holds the few bytes read meanwhile; the local disk and S3 stores create on the loop, at
 * once while its pass's {@link CreationBudget} lasts, else in its next passes, the reader
 * holding the bytes meanwhile in the same way. When more than {@link #MAX_HELD_BYTES}
 * already wait behind a new file (a fast client, whose first read brings a whole read
 * buffer), the file is created on the loop anyway: holding would copy up to a read buffer
 * per file. A sink that takes no more pauses the body until it says it is ready. Loop
 * only, but for the creation and the store's callbacks, which hand over to it.
 */
final class FileReceiver {

	/** Most bytes a reader holds while its file is created off the loop. */
	static final int MAX_HELD_BYTES = 32 * 1024;

	private enum State {

		NEW, OPENING, OPEN, FINISHING, RECEIVED, DISCARDED

	}

	private final BodyControl body;

	private final BodyContext context;

	private final Request request;

	private final UploadTarget target;

	private final UploadStore store;

	private final boolean wholeBody;

	private final DigestAlgorithm algorithm;

	private final MessageDigest digest;

	private final long maxBytes;

	/** A sink created off the loop and not yet taken by it: whoever takes it owns it. */
	private final AtomicReference<UploadSink> handoff = new AtomicReference<>();

	private volatile boolean discarded;

	private State state = State.NEW;

	private UploadSink sink;

	private UploadedFile file;

	private MessageDigest verifier;

	private byte[] expected;

	private String expectedFrom;

	/** Whether this file's sink paused the body until it is ready. */
	private boolean full;

	/**
	 * @param wholeBody whether the file is the request's whole raw body, else a file part
	 */
	FileReceiver(BodyControl body, BodyContext context, Request request, UploadTarget target, boolean wholeBody) {
		this.body = body;
		this.context = context;
		this.request = request;
		this.wholeBody = wholeBody;
		this.algorithm = request.settings().digestOr(context.options().uploads().digest());
		this.digest = this.algorithm.newDigest();
		this.maxBytes = request.settings().maxFileBytesOr(context.options().limits().maxFileBytes());
		this.target = target.withMaxLength(this.maxBytes);
		this.store = request.settings().storeOr(context.store());
	}

	/**
	 * Checks the file against a digest the client sent ({@code Content-Digest},
	 * {@code Content-MD5}): {@link #finish} fails with 400 when they differ. Before the
	 * first write.
	 * @param from the header it came from, for the error
	 */
	void expect(DigestAlgorithm algorithm, byte[] expected, String from) {
		this.verifier = (algorithm == this.algorithm) ? null : algorithm.newDigest();
		this.expected = expected.clone();
		this.expectedFrom = from;
	}

	/**
	 * Creates the file: at once when the store creates quickly and the loop's pass has
	 * time left, or {@code bytesBehind} are too many to hold (or the server creates files
	 * inline); in a later pass of the loop when the store creates quickly; else off the
	 * loop.
	 * @return {@code true} when the file is open now; {@code false} when it is being
	 * created, and {@code then} runs on the loop once it is open
	 */
	boolean open(int bytesBehind, Runnable then) {
		if (this.context.fileOpens() == null || bytesBehind > MAX_HELD_BYTES) {
			create();
			return true;
		}
		if (!this.store.createMayBlock()) {
			CreationBudget budget = CreationBudget.ofThisThread();
			if (budget == null) {
				create();
				return true;
			}
			if (budget.allowsNow()) {
				budget.run(this::create);
				return true;
			}
			this.state = State.OPENING;
			budget.defer(() -> create(then));
			return false;
		}
		this.state = State.OPENING;
		try {
			this.context.fileOpens().execute(() -> create(then));
		}
		catch (RejectedExecutionException ex) {
			throw new HttpException(503, "server stopping");
		}
		return false;
	}

	/** Whether bytes must wait: the file is being created. */
	boolean isOpening() {
		return this.state == State.OPENING;
	}

	UploadedFile file() {
		return this.file;
	}

	/**
	 * Writes all of {@code data}, advancing its position to its limit; tells the
	 * listener.
	 * @throws HttpException (413) when the file would exceed its limit
	 */
	void write(ByteBuffer data) {
		int n = data.remaining();
		if (this.maxBytes >= 0 && this.file.size() + n > this.maxBytes) {
			throw new HttpException(413, "file over " + this.maxBytes + " bytes").withCode("file-too-large")
				.withLimit(this.maxBytes);
		}
		update(this.digest, data);
		update(this.verifier, data);
		ByteBuffer view = this.context.uploads().wantsFileWrites(this.request) ? data.asReadOnlyBuffer() : null;
		boolean more;
		try {
			more = this.sink.write(data);
		}
		catch (IOException ex) {
			throw BodyFailures.storeError(ex);
		}
		this.file.grow(n);
		if (view != null) {
			this.context.uploads().onFileWrite(this.request, this.file, view);
		}
		if (!more && !this.full) {
			this.full = true;
			this.body.pause(PauseReason.SINK_FULL);
			this.sink.onReady(() -> this.body.onLoop(this::ready));
		}
	}

	/**
	 * All bytes are written: fixes size and digest, and has the store make them durable;
	 * {@code then} runs on the loop once they are (at once for a local file).
	 * @throws HttpException (400) when a digest the client sent does not match: the file
	 * is discarded
	 */
	void finish(Runnable then) {
		byte[] computed = (this.digest != null) ? this.digest.digest() : null;
		this.file.complete(computed);
		if (this.expected != null) {
			byte[] actual = (this.verifier != null) ? this.verifier.digest() : computed;
			if (!MessageDigest.isEqual(this.expected, actual)) {
				discard();
				throw new HttpException(400, this.expectedFrom + " does not match the bytes received");
			}
		}
		this.state = State.FINISHING;
		CompletableFuture<Void> stored = this.sink.finish().toCompletableFuture();
		if (stored.isDone() && !stored.isCompletedExceptionally()) {
			received(then);
			return;
		}
		stored.whenComplete((ok, failure) -> {
			if (failure != null) {
				this.body.fail(failure);
			}
			else {
				this.body.onLoop(() -> received(then));
			}
		});
	}

	/** Removes what was stored, or what is being created. Never throws; idempotent. */
	void discard() {
		this.discarded = true;
		this.state = State.DISCARDED;
		if (this.sink != null) {
			this.sink.discard();
		}
		UploadSink orphan = this.handoff.getAndSet(null);
		if (orphan != null) {
			orphan.discard();
		}
	}

	private void create() {
		try {
			opened(this.store.create(this.target));
		}
		catch (IOException ex) {
			throw BodyFailures.storeError(ex);
		}
	}

	/**
	 * Creates the file off the loop, or later on it, and hands it to the loop, which then
	 * runs {@code then}.
	 */
	private void create(Runnable then) {
		if (this.discarded) {
			return;
		}
		try {
			this.handoff.set(this.store.create(this.target));
		}
		catch (IOException | RuntimeException ex) {
			this.body.fail(ex);
			return;
		}
		if (this.discarded) {
			discard();
			return;
		}
		this.body.onLoop(() -> {
			UploadSink created = this.handoff.getAndSet(null);
			if (created != null) {
				opened(created);
				then.run();
			}
		});
	}

	private void opened(UploadSink created) {
		this.sink = created;
		this.state = State.OPEN;
		this.file = new UploadedFile(this.target, created, this.algorithm);
		if (this.wholeBody) {
			this.request.setBody(this.file);
		}
		else {
			this.request.addFile(this.file);
		}
		this.context.uploads().onFileOpen(this.request, this.file);
	}

	private void received(Runnable then) {
		if (this.state != State.FINISHING) {
			return;
		}
		this.state = State.RECEIVED;
		this.context.uploads().onFileReceived(this.request, this.file);
		then.run();
	}

	private void ready() {
		if (this.full) {
			this.full = false;
			this.body.resume(PauseReason.SINK_FULL);
		}
	}

	private static void update(MessageDigest digest, ByteBuffer data) {
		if (digest != null) {
			int pos = data.position();
			digest.update(data);
			data.position(pos);
		}
	}

}
