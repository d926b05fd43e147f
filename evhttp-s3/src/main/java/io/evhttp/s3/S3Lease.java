package io.evhttp.s3;

import io.evhttp.resumable.UploadAppend;
import io.evhttp.resumable.UploadInfo;
import io.evhttp.resumable.UploadLease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One holding of an upload's lease in an {@link S3ResumableStore}: {@code holder} at
 * {@code epoch}, recorded in the state object. Every change is a compare-and-swap that
 * holds only while the state still names this holder and epoch, so a holder that lost its
 * lease (expired, taken over) changes nothing that counts.
 *
 * <p>
 * A heartbeat reads the state every poll interval: when the next requester raised
 * {@code stop}, the holder's stop callback runs (the request stops reading, commits what
 * it has and closes the lease); when the lease nears its expiry, it is renewed.
 */
final class S3Lease implements UploadLease {

	private static final Logger log = Logger.getLogger(S3Lease.class.getName());

	/** Part numbers taken per reservation: one state write per this many parts. */
	private static final int RESERVE = 8;

	private final S3ResumableStore store;

	private final String holder;

	private final long epoch;

	/** Highest part number reserved before this lease: stale writers may use up to it. */
	private final int reservedBefore;

	private final ScheduledFuture<?> heartbeat;

	/** Serialises this holder's state changes; the heartbeat only tries it. */
	private final ReentrantLock lock = new ReentrantLock();

	private final String id;

	private volatile S3UploadState state;

	private String etag;

	private final AtomicInteger assigned;

	private final AtomicInteger tailSeq = new AtomicInteger();

	/** The tail as a local file this lease wrote, sparing a download at completion. */
	private Path localTail;

	private volatile Runnable stop;

	private volatile boolean stopRequested;

	private volatile boolean closed;

	/** Whether the state object is gone (completed into the object, or terminated). */
	private boolean gone;

	S3Lease(S3ResumableStore store, String holder, S3UploadState state, String etag) {
		this.store = store;
		this.holder = holder;
		this.id = state.id();
		this.epoch = state.epoch();
		this.state = state;
		this.etag = etag;
		this.reservedBefore = state.reserved();
		this.assigned = new AtomicInteger(state.reserved());
		long every = store.pollInterval().toMillis();
		this.heartbeat = store.scheduler().scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
	}

	@Override
	public UploadInfo info() {
		return this.state.info();
	}

	@Override
	public void onStopRequested(Runnable stop) {
		this.stop = stop;
		if (this.stopRequested) {
			stop.run();
		}
	}

	@Override
	public UploadAppend append() throws IOException {
		S3UploadState s;
		this.lock.lock();
		try {
			checkOpen();
			s = this.state;
		}
		finally {
			this.lock.unlock();
		}
		return new S3Append(this.store, this, s.offset(), s.tailKey(), s.tailSize());
	}

	@Override
	public UploadInfo declareLength(long length) throws IOException {
		return update((s) -> s.withLength(length)).info();
	}

	/**
	 * The once-only transition: the state goes to COMPLETING by this holder's CAS, then
	 * the object is made; a holder that dies in between leaves it to the next lease.
	 */
	@Override
	public UploadInfo complete() throws IOException {
		this.lock.lock();
		try {
			checkOpen();
			if (this.state.phase() == S3UploadState.Phase.RECEIVING) {
				update((s) -> s.withPhase(S3UploadState.Phase.COMPLETING));
			}
			if (this.state.phase() == S3UploadState.Phase.COMPLETING) {
				finishCompletion();
			}
			return this.state.info();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void terminate() throws IOException {
		try {
			this.lock.lock();
			try {
				checkOpen();
				update((s) -> s.withPhase(S3UploadState.Phase.TERMINATING));
				this.gone = true;
			}
			finally {
				this.lock.unlock();
			}
			this.store.removeAll(this.id);
		}
		finally {
			close();
		}
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.heartbeat.cancel(false);
		deleteLocalTail();
		this.lock.lock();
		try {
			if (this.gone) {
				return;
			}
			// part numbers reserved and never used go back
			int keep = Math.max(this.reservedBefore, this.assigned.get());
			update((s) -> s.withLease(null, s.epoch(), 0, false).withReserved(keep, s.uploadId()));
		}
		catch (IOException | RuntimeException ex) {
			log.log(Level.FINE, "lease of " + this.id + " not released; it expires", ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	// ---- for appends

	String id() {
		return this.id;
	}

	/** The next part number of this lease's own range; never blocks (event loop). */
	int assignPart() throws IOException {
		int number = this.assigned.incrementAndGet();
		if (number > S3UploadStore.MAX_PARTS) {
			throw new IOException("upload has used its 10,000 part numbers");
		}
		return number;
	}

	/**
	 * Makes part {@code number} this holder's in the state (reserving a few ahead) and
	 * returns the multipart upload to upload it to, creating that first.
	 */
	String reserve(int number) throws IOException {
		this.lock.lock();
		try {
			return reserveLocked(number);
		}
		finally {
			this.lock.unlock();
		}
	}

	private String reserveLocked(int number) throws IOException {
		checkOpen();
		String uploadId = this.state.uploadId();
		if (uploadId == null) {
			uploadId = this.store.calls()
				.createMultipartUpload(this.store.objectKey(this.id), this.store.objectMetadata(this.state));
			String created = uploadId;
			try {
				update((s) -> s.withReserved(Math.max(s.reserved(), number + RESERVE - 1), created));
			}
			catch (IOException ex) {
				this.store.calls().abortMultipartUploads(this.store.objectKey(this.id));
				throw ex;
			}
		}
		else if (this.state.reserved() < number) {
			update((s) -> s.withReserved(Math.max(s.reserved(), number + RESERVE - 1), s.uploadId()));
		}
		return this.state.uploadId();
	}

	String newTailKey() {
		return this.store.tailKey(this.id, this.epoch, this.tailSeq.incrementAndGet());
	}

	/** Records parts and tail that are stored; the old tail object goes after. */
	UploadInfo committed(List<S3UploadState.Part> parts, String tailKey, long tailSize, long offset, Path tailFile)
			throws IOException {
		String oldTail;
		this.lock.lock();
		try {
			oldTail = this.state.tailKey();
			update((s) -> s.appended(parts, tailKey, tailSize, offset));
			deleteLocalTail();
			this.localTail = tailFile;
		}
		finally {
			this.lock.unlock();
		}
		if (oldTail != null && !oldTail.equals(tailKey)) {
			this.store.deleteQuietly(oldTail);
		}
		return this.state.info();
	}

	// ---- state changes

	/**
	 * Applies {@code change} by compare-and-swap while this holder holds the lease. A
	 * refused write is re-read: if it holds our nonce, the write was ours (a retry of a
	 * success); if the lease is still ours (someone raised {@code stop}), the change is
	 * applied again on the fresh state; else the lease is lost.
	 */
	S3UploadState update(UnaryOperator<S3UploadState> change) throws IOException {
		this.lock.lock();
		try {
			return updateLocked(change);
		}
		finally {
			this.lock.unlock();
		}
	}

	private S3UploadState updateLocked(UnaryOperator<S3UploadState> change) throws IOException {
		S3UploadState current = this.state;
		String tag = this.etag;
		for (int attempt = 0; attempt < 20; attempt++) {
			S3UploadState next = change.apply(current).withWrite(this.store.nonce());
			String written = this.store.calls().putIf(this.store.infoKey(next.id()), next.json(), tag);
			if (written != null) {
				return accept(next, written);
			}
			S3ResumableCalls.Versioned fresh = this.store.calls().get(this.store.infoKey(next.id()));
			if (fresh == null) {
				throw lost("its state is gone");
			}
			S3UploadState read = S3UploadState.parse(fresh.text());
			if (next.write().equals(read.write())) {
				return accept(read, fresh.etag());
			}
			if (!read.heldBy(this.holder, this.epoch)) {
				throw lost("another request holds it");
			}
			current = read;
			tag = fresh.etag();
		}
		throw new IOException("state of " + this.id + " keeps changing");
	}

	private S3UploadState accept(S3UploadState next, String etag) {
		this.state = next;
		this.etag = etag;
		return next;
	}

	private void finishCompletion() throws IOException {
		S3UploadState s = this.state;
		String key = this.store.objectKey(s.id());
		List<S3UploadState.Part> parts = new ArrayList<>(s.parts());
		if (parts.isEmpty()) {
			Path file = tailFile(s);
			try {
				this.store.calls().putFile(key, file, s.tailSize(), this.store.objectMetadata(s));
			}
			finally {
				if (file != this.localTail && file != null) {
					Files.deleteIfExists(file);
				}
			}
		}
		else {
			if (s.tailSize() > 0) {
				int number = assignPart();
				String uploadId = reserve(number);
				Path file = tailFile(s);
				try {
					parts.add(this.store.calls().uploadPart(key, uploadId, number, file, s.tailSize()));
				}
				finally {
					if (file != this.localTail) {
						Files.deleteIfExists(file);
					}
				}
			}
			try {
				this.store.calls().completeMultipartUpload(key, this.state.uploadId(), parts);
			}
			catch (IOException ex) {
				// a completion whose answer was lost, retried by the next holder
				if (this.store.calls().head(key) == null) {
					throw ex;
				}
			}
		}
		if (this.store.objectMetadata(s).isEmpty()) { // the state stays: it did not fit
			update((x) -> x.withPhase(S3UploadState.Phase.COMPLETE).appended(List.of(), null, 0, x.offset()));
			this.store.removeLeftovers(s.id(), true, true);
		}
		else {
			this.gone = true;
			this.store.removeLeftovers(s.id(), true, false);
		}
	}

	/** The tail's bytes as a local file: the one this lease wrote, or downloaded. */
	private Path tailFile(S3UploadState s) throws IOException {
		if (s.tailSize() == 0) {
			return null;
		}
		if (this.localTail != null) {
			return this.localTail;
		}
		Path file = this.store.spoolFile();
		this.store.calls().download(s.tailKey(), file);
		return file;
	}

	private void deleteLocalTail() {
		Path tail = this.localTail;
		this.localTail = null;
		if (tail != null) {
			try {
				Files.deleteIfExists(tail);
			}
			catch (IOException ex) {
				log.log(Level.FINE, "cannot delete spool file " + tail, ex);
			}
		}
	}

	// ---- heartbeat, on the store's scheduler

	private void beat() {
		if (this.closed) {
			return;
		}
		try {
			S3ResumableCalls.Versioned fresh = this.store.calls().get(this.store.infoKey(this.id));
			S3UploadState read = (fresh != null) ? S3UploadState.parse(fresh.text()) : null;
			if (read == null || !read.heldBy(this.holder, this.epoch)) {
				requestStop(); // lost: whatever this request still writes will not count
				return;
			}
			if (read.stop()) {
				requestStop();
			}
			long now = this.store.clock().millis();
			// never waits for a holder busy writing: the next beat renews
			if (read.leaseUntil() - now < this.store.leaseDuration().toMillis() / 2 && this.lock.tryLock()) {
				try {
					long until = now + this.store.leaseDuration().toMillis();
					updateLocked((s) -> s.withLease(this.holder, this.epoch, until, s.stop()));
				}
				finally {
					this.lock.unlock();
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			log.log(Level.FINE, "heartbeat of " + this.id + " failed", ex);
		}
	}

	private void requestStop() {
		if (this.stopRequested) {
			return;
		}
		this.stopRequested = true;
		Runnable s = this.stop;
		if (s != null) {
			s.run();
		}
	}

	private IOException lost(String why) {
		return new IOException("lease of upload " + this.id + " lost: " + why);
	}

	private void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException("lease of " + this.id + " released");
		}
	}

}
