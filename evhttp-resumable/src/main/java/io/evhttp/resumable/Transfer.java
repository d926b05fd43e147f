package io.evhttp.resumable;

import io.evhttp.http.HttpException;
import io.evhttp.server.BodyConsumer;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.upload.StoreUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One request that creates an upload or appends to one: it takes the lease, streams the
 * body into the store, then commits and answers.
 *
 * <pre>
 *   PREPARING --lease, checks (executor)--&gt; RECEIVING --body ends (loop)--&gt; RECEIVED
 *   RECEIVED --handler: verify, commit, complete, answer (executor)--&gt; DONE
 *   PREPARING/RECEIVING --client gone, or asked to stop--&gt; DONE (bytes received kept,
 *                                                        unless a checksum cannot vouch for them)
 * </pre>
 *
 * <p>
 * The body is paused from the head until {@link #prepare} has the lease and an append; a
 * request refused meanwhile fails on its first body byte with the refusal's status.
 */
final class Transfer implements BodyConsumer {

	private static final Logger log = Logger.getLogger(Transfer.class.getName());

	enum Step {

		PREPARING, RECEIVING, RECEIVED, FINISHING, DONE

	}

	private final ResumableUploads uploads;

	private final RequestPlan plan;

	private final Request request;

	private Step step = Step.PREPARING;

	private volatile HttpException failure;

	private volatile UploadLease lease;

	private volatile UploadAppend append;

	/** Bytes this request may still add: the upload's length or size limit. */
	private volatile long room = Long.MAX_VALUE;

	/** The refusal of content beyond {@link #room}. */
	private volatile HttpException beyond;

	private MessageDigest digest;

	/** {@code Repr-Digest} sent or wanted (draft), or {@code null}. */
	private final RepresentationDigest representation;

	/** The upload's offset when this request took the lease. */
	private volatile long start;

	private long received;

	Transfer(ResumableUploads uploads, RequestPlan plan, Request request) {
		this.uploads = uploads;
		this.plan = plan;
		this.request = request;
		this.digest = (plan.checksum() != null) ? plan.checksum().newDigest() : null;
		this.representation = RepresentationDigest.of(request, plan.dialect());
	}

	// ---- executor

	/** Takes the lease and opens the append; then lets the body flow. */
	void prepare() {
		try {
			UploadLease taken = (this.plan.operation() == Operation.CREATE)
					? this.uploads.create(this.plan, this.request)
					: this.uploads.leaseForAppend(this.plan, this.request.contentLength());
			this.lease = taken;
			taken.onStopRequested(this::stop);
			UploadInfo info = taken.info();
			this.start = info.offset();
			if (this.representation != null) {
				this.representation.start(info.offset());
			}
			long max = (info.length() >= 0) ? info.length() : this.uploads.options().maxSize();
			this.room = (max >= 0) ? max - info.offset() : Long.MAX_VALUE;
			this.beyond = Answers.beyond(this.plan.dialect(), info, info.length() < 0);
			if (this.request.contentLength() > this.room) {
				throw this.beyond;
			}
			this.append = taken.append();
		}
		catch (HttpException ex) {
			this.failure = ex;
		}
		catch (LeaseUnavailableException ex) {
			this.failure = Answers.error(this.plan.dialect(), 423, ex.getMessage());
		}
		catch (IOException | RuntimeException ex) {
			HttpException unavailable = unavailable(ex);
			log.log((unavailable != null) ? Level.FINE : Level.WARNING, "cannot prepare " + this.request, ex);
			this.failure = (unavailable != null) ? unavailable
					: Answers.error(this.plan.dialect(), 500, "store failed: " + ex);
		}
		boolean aborted;
		synchronized (this) {
			aborted = this.step == Step.DONE;
			if (!aborted) {
				this.step = Step.RECEIVING;
			}
		}
		if (aborted) {
			end(false);
		}
		else if (this.plan.hasBody()) {
			this.request.resumeBody();
		}
	}

	/**
	 * After the body (or at once without one): verify, commit, complete, answer. The
	 * lease is released before the answer goes out, so a client's next request finds the
	 * upload free instead of racing the release (and waiting, or getting 423).
	 */
	void finish(Response response) {
		synchronized (this) {
			this.step = Step.FINISHING;
		}
		Runnable answer;
		try {
			answer = commitAndComplete(response);
		}
		catch (HttpException ex) {
			log.log(Level.FINE, () -> this.request + " refused: " + ex.getMessage());
			discardQuietly();
			answer = () -> Answers.send(response, ex);
		}
		catch (IOException | RuntimeException ex) {
			discardQuietly();
			HttpException unavailable = unavailable(ex);
			if (unavailable != null) { // the upload stays at its last committed offset
				log.log(Level.FINE, () -> this.request + ": " + unavailable.getMessage());
				answer = () -> Answers.send(response, unavailable);
			}
			else {
				log.log(Level.WARNING, "cannot store " + this.request, ex);
				this.uploads.fail(this.lease, ex);
				answer = () -> Answers.send(response, Answers.error(this.plan.dialect(), 500, "store failed"));
			}
		}
		finally {
			synchronized (this) {
				this.step = Step.DONE;
			}
			releaseLease();
		}
		answer.run();
	}

	private Runnable commitAndComplete(Response response) throws IOException {
		if (this.failure != null) {
			throw this.failure;
		}
		if (this.digest != null && !this.plan.checksum().matches(this.digest)) {
			this.append.discard();
			throw Answers.error(this.plan.dialect(), this.plan.dialect().isTus() ? 460 : 400, "checksum mismatch");
		}
		if (this.representation != null && completes()) {
			this.representation.checkStreamed();
		}
		UploadInfo committed = this.append.commit();
		if (this.append.written() > 0) {
			this.uploads.events().onProgress(committed);
		}
		UploadInfo info = this.uploads.completeIfWhole(this.plan, this.lease, committed, this.representation);
		if (this.representation != null) {
			this.representation.answer(response, info);
		}
		return () -> this.uploads.answerWritten(this.plan, this.request, response, info);
	}

	// ---- event loop

	@Override
	public void onData(ByteBuffer data) throws IOException {
		HttpException refused = this.failure;
		if (refused != null) {
			throw refused;
		}
		int n = data.remaining();
		if (n > this.room - this.received) {
			this.failure = this.beyond;
			throw this.failure;
		}
		this.received += n;
		if (this.digest != null) {
			this.digest.update(data.duplicate());
		}
		if (this.representation != null) {
			this.representation.update(data);
		}
		if (!this.append.write(data)) {
			this.request.pauseBody();
			this.append.onReady(this.request::resumeBody);
		}
	}

	@Override
	public void onEnd() throws IOException {
		HttpException refused = this.failure;
		if (refused != null) {
			throw refused;
		}
		synchronized (this) {
			this.step = Step.RECEIVED;
		}
	}

	/**
	 * The request failed before its handler: keep what arrived, unless it cannot be
	 * vouched for.
	 */
	@Override
	public void onAbort() {
		synchronized (this) {
			if (this.step != Step.RECEIVING && this.step != Step.RECEIVED) {
				this.step = Step.DONE; // still preparing: prepare() cleans up
				return;
			}
			this.step = Step.DONE;
		}
		boolean keep = this.failure == null && this.plan.checksum() == null;
		this.uploads.executor().execute(() -> end(keep));
	}

	/** Whether this request makes the upload whole (once its bytes are committed). */
	private boolean completes() {
		long length = this.lease.info().length();
		return (this.plan.dialect().isDraft() && this.plan.complete())
				|| (length >= 0 && this.start + this.received == length);
	}

	/**
	 * 503 with {@code Retry-After} when the store could not be reached (S3 down or
	 * answering 503 after its retries), else {@code null}.
	 */
	private HttpException unavailable(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof StoreUnavailableException store) {
				long seconds = Math.max(1, store.retryAfter().toSeconds());
				return Answers.error(this.plan.dialect(), 503, "store unavailable: " + store.getMessage())
					.withHeader("Retry-After", Long.toString(seconds));
			}
		}
		return null;
	}

	// ---- any thread

	/** Another request wants the upload: drop this one, which keeps what it received. */
	private void stop() {
		synchronized (this) {
			if (this.step != Step.PREPARING && this.step != Step.RECEIVING) {
				return; // about to finish: it releases soon
			}
		}
		this.request.drop();
	}

	private void end(boolean keep) {
		UploadAppend open = this.append;
		try {
			if (open != null && keep) {
				UploadInfo info = open.commit();
				if (open.written() > 0) {
					this.uploads.events().onProgress(info);
				}
			}
			else {
				discardQuietly();
			}
		}
		catch (IOException | RuntimeException ex) {
			log.log(Level.WARNING, "cannot keep the bytes of " + this.request, ex);
			discardQuietly();
		}
		finally {
			releaseLease();
		}
	}

	private void discardQuietly() {
		UploadAppend open = this.append;
		if (open != null) {
			try {
				open.discard();
			}
			catch (IOException | RuntimeException ex) {
				log.log(Level.FINE, "discarding " + this.request, ex);
			}
		}
	}

	private void releaseLease() {
		UploadLease held = this.lease;
		if (held != null) {
			held.close();
		}
	}

	Instant now() {
		return this.uploads.options().clock().instant();
	}

}
