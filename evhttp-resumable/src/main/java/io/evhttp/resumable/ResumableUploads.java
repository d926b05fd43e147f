package io.evhttp.resumable;

import io.evhttp.http.HttpException;
import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.UploadListener;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A resumable-upload endpoint: tus 1.0 (core, creation, creation-with-upload,
 * creation-defer-length, termination, expiration, checksum, concatenation) and the IETF
 * "Resumable Uploads for HTTP" draft (interop versions 5 to 8) on one path prefix, told
 * apart by their headers, over one {@link ResumableStore}.
 *
 * <pre>{@code
 * ResumableUploads resumable = new ResumableUploads(ResumableOptions.defaults(),
 *     new LocalResumableStore(Path.of("/var/uploads")), ResumableEvents.NONE);
 * server.listen(ListenerConfig.of(8090, resumable).withUploads(resumable));
 * }</pre>
 *
 * <p>
 * Mount it as both the {@link Handler} and the {@link UploadListener} of its requests:
 * {@link #onHead} checks the head and pauses the body while the upload's lease is taken
 * on the executor; the body then streams into the store from the event loop (never whole
 * on the heap); the handler commits and answers on the executor. An application routing
 * several endpoints calls {@link #matches} and delegates both calls.
 *
 * <p>
 * Statuses: 400 malformed fields (draft: also content on a complete upload or past the
 * announced length, and a completion at another length, each with its problem document),
 * 403 append to a final upload, 404 unknown upload, 405 method, 409 offset mismatch
 * (draft: with a problem document), 410 expired, 412 {@code Tus-Resumable} missing or
 * unsupported, 413 over the size limit (tus: also over the length), 415 content type, 423
 * another request holds the upload, 460 tus checksum mismatch, 503 with
 * {@code Retry-After} the store unreachable (the upload stays at its last committed
 * offset); draft: 400 a {@code Repr-Digest} that does not match the whole upload (nothing
 * completes).
 */
public final class ResumableUploads implements Handler, UploadListener, AutoCloseable {

	private static final Logger log = Logger.getLogger(ResumableUploads.class.getName());

	private static final String PLAN = ResumableUploads.class.getName() + ".plan";

	private static final String TRANSFER = ResumableUploads.class.getName() + ".transfer";

	private final ResumableOptions options;

	private final ResumableStore store;

	private final ResumableEvents events;

	private final Executor executor;

	private final ExecutorService ownExecutor;

	private final ScheduledExecutorService sweeper;

	public ResumableUploads(ResumableOptions options, ResumableStore store, ResumableEvents events) {
		this.options = options;
		this.store = store;
		this.events = (events != null) ? events : ResumableEvents.NONE;
		this.ownExecutor = (options.executor() == null) ? Executors.newCachedThreadPool(threads("evhttp-resumable-"))
				: null;
		this.executor = (this.ownExecutor != null) ? this.ownExecutor : options.executor();
		// zero: the application calls sweep() on its own schedule (Spring: with the
		// server)
		long every = options.sweepInterval().toMillis();
		this.sweeper = (every > 0) ? Executors.newSingleThreadScheduledExecutor(threads("evhttp-resumable-sweeper-"))
				: null;
		if (this.sweeper != null) {
			this.sweeper.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
		}
	}

	/** Whether {@code request} is for this endpoint (its path is under the base path). */
	public boolean matches(Request request) {
		String path = request.path();
		String base = this.options.basePath();
		return path.startsWith(base) || path.equals(base.substring(0, base.length() - 1));
	}

	@Override
	public void onHead(Request request) {
		RequestPlan plan = RequestPlan.parse(request, this.options);
		if (plan == null) {
			return;
		}
		request.attributes().put(PLAN, plan);
		if (plan.hasBody()) {
			Transfer transfer = new Transfer(this, plan, request);
			request.attributes().put(TRANSFER, transfer);
			request.consumeBody(transfer);
			request.pauseBody(); // until the lease is held: no byte is read before
			this.executor.execute(transfer::prepare);
		}
	}

	@Override
	public void handle(Request request, Response response) {
		RequestPlan planned = (RequestPlan) request.attributes().get(PLAN);
		RequestPlan plan = (planned != null) ? planned : RequestPlan.parse(request, this.options);
		if (plan == null) {
			throw new HttpException(404, "not a resumable upload path: " + request.path());
		}
		Transfer transfer = (Transfer) request.attributes().get(TRANSFER);
		this.executor.execute(() -> serve(plan, transfer, request, response));
	}

	/**
	 * Removes expired uploads (data and state) not being written now.
	 * @return how many were removed
	 */
	public int sweep() throws IOException {
		int removed = 0;
		for (UploadInfo info : this.store.expired(this.options.clock().instant())) {
			try (UploadLease lease = this.store.lease(info.id(), Duration.ZERO)) {
				if (lease != null) {
					lease.terminate();
					removed++;
					this.events.onExpired(lease.info());
				}
			}
			catch (LeaseUnavailableException ex) {
				log.log(Level.FINE, () -> "expired upload " + info.id() + " is being written; swept later");
			}
		}
		return removed;
	}

	/** Stops the sweeper and the endpoint's own threads. */
	@Override
	public void close() {
		if (this.sweeper != null) {
			this.sweeper.shutdownNow();
		}
		if (this.ownExecutor != null) {
			this.ownExecutor.shutdown();
		}
	}

	// ---- on the executor

	private void serve(RequestPlan plan, Transfer transfer, Request request, Response response) {
		try {
			switch (plan.operation()) {
				case DISCOVER -> Answers.discover(response, this.options, now());
				case CREATE, APPEND -> write(plan, transfer, request, response);
				case INSPECT -> Answers.inspect(response, plan.dialect(), current(plan), this.options, now());
				case DOWNLOAD -> download(plan, response);
				case TERMINATE -> terminate(plan, response);
			}
		}
		catch (HttpException ex) {
			log.log(Level.FINE, () -> request + " refused: " + ex.getMessage());
			Answers.send(response, ex);
		}
		catch (IOException | RuntimeException ex) {
			log.log(Level.WARNING, "failed to serve " + request, ex);
			Answers.send(response, Answers.error(plan.dialect(), 500, "store failed"));
		}
	}

	private void write(RequestPlan plan, Transfer transfer, Request request, Response response) throws IOException {
		if (!plan.parts().isEmpty()) {
			concatenate(plan, request, response);
			return;
		}
		Transfer t = transfer;
		if (t == null) { // no content: nothing to stream
			t = new Transfer(this, plan, request);
			t.prepare();
		}
		t.finish(response);
	}

	private void concatenate(RequestPlan plan, Request request, Response response) throws IOException {
		Instant now = now();
		for (String id : plan.parts()) {
			UploadInfo part = this.store.read(id);
			if (part == null || !part.partial() || !part.complete() || part.expiresAt().isBefore(now)) {
				throw Answers.error(plan.dialect(), 400, "not a complete partial upload: " + id);
			}
		}
		NewUpload asked = new NewUpload(-1, plan.metadata(), now.plus(this.options.expiry()), false, plan.parts());
		this.events.onCreate(request, asked);
		UploadInfo info = this.store.create(asked);
		this.events.onCreated(info);
		this.events.onCompleted(info, this.store.location(info.id()));
		response.status(201).header("Location", Answers.url(request, this.options, info.id()));
		Answers.state(response, plan.dialect(), info, this.options, now);
		response.send(new byte[0]);
	}

	private UploadInfo current(RequestPlan plan) throws IOException {
		UploadInfo info = this.store.read(plan.id());
		if (info == null) {
			throw Answers.error(plan.dialect(), 404, "no upload " + plan.id());
		}
		if (info.expiresAt().isBefore(now())) {
			throw Answers.error(plan.dialect(), 410, "upload " + plan.id() + " expired");
		}
		return info;
	}

	private void download(RequestPlan plan, Response response) throws IOException {
		UploadInfo info = current(plan);
		if (!info.complete()) {
			if (plan.dialect().isDraft()) {
				Answers.inspect(response, plan.dialect(), info, this.options, now());
				return;
			}
			throw Answers.error(plan.dialect(), 409, "upload " + plan.id() + " is not complete")
				.withHeader("Upload-Offset", Long.toString(info.offset()));
		}
		response.contentType("application/octet-stream").header("Cache-Control", "no-store");
		java.net.URI location = this.store.location(info.id());
		if ("file".equals(location.getScheme())) {
			response.sendFile(Path.of(location));
		}
		else {
			Download.send(this.store.open(info.id()), info.length(), response, this.executor);
		}
	}

	private void terminate(RequestPlan plan, Response response) throws IOException {
		UploadInfo info;
		try (UploadLease lease = this.store.lease(plan.id(), this.options.leaseWait())) {
			if (lease == null) {
				throw Answers.error(plan.dialect(), 404, "no upload " + plan.id());
			}
			info = lease.info();
			lease.terminate();
		}
		catch (LeaseUnavailableException ex) {
			throw Answers.error(plan.dialect(), 423, ex.getMessage());
		}
		this.events.onTerminated(info);
		response.status(204);
		if (plan.dialect().isTus()) {
			response.header("Tus-Resumable", RequestPlan.TUS_VERSION);
		}
		response.send(new byte[0]);
	}

	// ---- for transfers: on the executor

	/** Creates the upload (the application may refuse) and takes its lease. */
	UploadLease create(RequestPlan plan, Request request) throws IOException, LeaseUnavailableException {
		Instant now = now();
		long length = plan.impliedLength(0, request.contentLength());
		if (this.options.maxSize() >= 0 && length > this.options.maxSize()) {
			throw Answers.error(plan.dialect(), 413, "upload of " + length + " bytes over " + this.options.maxSize());
		}
		NewUpload asked = new NewUpload(length, plan.metadata(), now.plus(this.options.expiry()), plan.partial(),
				List.of());
		this.events.onCreate(request, asked);
		UploadInfo info = this.store.create(asked);
		this.events.onCreated(info);
		String url = Answers.url(request, this.options, info.id());
		request.attributes().put(Answers.class.getName(), url);
		if (plan.dialect().isDraft()) {
			// only to clients that announced the draft: others may fail on an unknown 1xx
			request.sendInterim(104, "Location", url, "Upload-Limit",
					Answers.limit(this.options, info.expiresAt(), now));
		}
		UploadLease lease = this.store.lease(info.id(), this.options.leaseWait());
		if (lease == null) {
			throw Answers.error(plan.dialect(), 404, "upload " + info.id() + " vanished");
		}
		return lease;
	}

	/** Takes the lease of the upload a PATCH names and checks offset and length. */
	UploadLease leaseForAppend(RequestPlan plan, long contentLength) throws IOException, LeaseUnavailableException {
		UploadLease lease = this.store.lease(plan.id(), this.options.leaseWait());
		if (lease == null) {
			throw Answers.error(plan.dialect(), 404, "no upload " + plan.id());
		}
		try {
			checkAppend(plan, lease, contentLength);
			return lease;
		}
		catch (IOException | RuntimeException ex) {
			lease.close();
			throw ex;
		}
	}

	private void checkAppend(RequestPlan plan, UploadLease lease, long contentLength) throws IOException {
		UploadInfo info = lease.info();
		Dialect dialect = plan.dialect();
		if (info.expiresAt().isBefore(now())) {
			throw Answers.error(dialect, 410, "upload " + info.id() + " expired");
		}
		if (info.isFinal()) {
			throw Answers.error(dialect, 403, "final upload " + info.id() + " takes no bytes");
		}
		if (plan.offset() != info.offset()) {
			throw Answers.offsetMismatch(dialect, info.offset(), plan.offset());
		}
		if (info.complete() && contentLength > 0) { // chunked: refused at its first byte
			throw Answers.beyond(dialect, info, false);
		}
		if (dialect.isDraft() && plan.complete() && plan.length() >= 0 && contentLength >= 0
				&& info.offset() + contentLength != plan.length()) {
			throw Answers.inconsistentLength(dialect, "completing at " + (info.offset() + contentLength)
					+ " bytes, not at Upload-Length " + plan.length());
		}
		long length = plan.impliedLength(info.offset(), contentLength);
		if (length < 0 || length == info.length()) {
			return;
		}
		if (!info.lengthDeferred()) {
			throw Answers.inconsistentLength(dialect, "length " + length + " is not " + info.length());
		}
		if (length < info.offset()) {
			throw Answers.inconsistentLength(dialect, "length " + length + " below offset " + info.offset());
		}
		if (this.options.maxSize() >= 0 && length > this.options.maxSize()) {
			throw Answers.error(dialect, 413, "upload of " + length + " bytes over " + this.options.maxSize());
		}
		lease.declareLength(length);
	}

	/**
	 * Completes the upload when this request made it whole; fires completed once. An
	 * upload whose offset reaches its announced length is whole in either protocol, as in
	 * tusd: a draft client may announce {@code Upload-Length} and never send
	 * {@code Upload-Complete: ?1} (tus-js-client 4.3 does so for file input in requests
	 * of {@code chunkSize}, and for an empty upload).
	 */
	UploadInfo completeIfWhole(RequestPlan plan, UploadLease lease, UploadInfo info, RepresentationDigest digest)
			throws IOException {
		boolean whole = (plan.dialect().isDraft() && plan.complete())
				|| (!info.lengthDeferred() && info.offset() == info.length());
		if (!whole || info.complete()) {
			return info;
		}
		if (!info.lengthDeferred() && info.offset() != info.length()) {
			throw Answers.inconsistentLength(plan.dialect(),
					"completed at " + info.offset() + " of " + info.length() + " bytes");
		}
		UploadInfo done = lease.complete();
		if (digest != null) {
			digest.checkStored(this.store, lease, done);
		}
		this.events.onCompleted(done, this.store.location(done.id()));
		return done;
	}

	void answerWritten(RequestPlan plan, Request request, Response response, UploadInfo info) {
		boolean created = plan.operation() == Operation.CREATE;
		if (plan.dialect().isDraft()) {
			response.status(info.complete() ? 200 : created ? 201 : 204);
		}
		else {
			response.status(created ? 201 : 204);
		}
		if (created) {
			response.header("Location", Answers.url(request, this.options, info.id()));
		}
		Answers.state(response, plan.dialect(), info, this.options, now());
		response.send(new byte[0]);
	}

	/** A store error on an upload: its state can no longer be trusted, so it goes. */
	void fail(UploadLease lease, Exception reason) {
		if (lease == null) {
			return;
		}
		UploadInfo info = lease.info();
		try {
			lease.terminate();
		}
		catch (IOException | RuntimeException ex) {
			log.log(Level.WARNING, "cannot remove failed upload " + info.id(), ex);
		}
		this.events.onFailed(info, reason);
	}

	ResumableOptions options() {
		return this.options;
	}

	ResumableEvents events() {
		return this.events;
	}

	Executor executor() {
		return this.executor;
	}

	private Instant now() {
		return this.options.clock().instant();
	}

	private void sweepQuietly() {
		try {
			sweep();
		}
		catch (IOException | RuntimeException ex) {
			log.log(Level.WARNING, "sweeping expired uploads failed", ex);
		}
	}

	private static ThreadFactory threads(String prefix) {
		AtomicInteger n = new AtomicInteger();
		return (task) -> {
			Thread t = new Thread(task, prefix + n.incrementAndGet());
			t.setDaemon(true);
			return t;
		};
	}

}
