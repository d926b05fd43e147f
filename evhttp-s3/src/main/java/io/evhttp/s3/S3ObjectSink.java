package io.evhttp.s3;

import io.evhttp.http.HttpException;
import io.evhttp.upload.UploadSink;
import io.evhttp.upload.UploadStore;
import io.evhttp.upload.UploadTarget;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One file on its way into one S3 object, while it arrives.
 *
 * <pre>
 *   RECEIVING --finish, one part or less--&gt; STORING (PutObject)      --&gt; STORED --keep--&gt; KEPT
 *   RECEIVING --finish, more--------------&gt; STORING (last part, Complete) --&gt; STORED
 *   any --S3 failed--&gt; FAILED (cleaned up)      any --discard--&gt; DISCARDED (cleaned up)
 * </pre>
 *
 * <p>
 * Bytes go from the read buffer into a spool file in {@code tmp-path}, one part at a
 * time. A full part is sealed once a byte beyond it arrives (so a file of exactly one
 * part still goes with one {@code PutObject}) and uploaded on the store's threads while
 * the next one fills; the multipart upload is created with the first sealed part. With
 * {@code maxInFlight} parts sealed and not yet uploaded, {@link #write} answers
 * {@code false} and the request stops being read until one is done: the spool never holds
 * more than {@code maxInFlight + 1} parts. The object is completed from the ETags this
 * sink collected, never from a listing. Whatever ends the file unkept (a failure, a
 * discard) aborts the multipart upload or deletes the object once the requests in flight
 * have settled; a cleanup S3 refuses is left to the store's sweep.
 */
final class S3ObjectSink implements UploadSink {

	private enum State {

		RECEIVING, STORING, STORED, KEPT, FAILED, DISCARDED

	}

	private final S3Calls s3;

	private final UploadStore spools;

	private final S3Leftovers leftovers;

	private final UploadTarget target;

	private final long partSize;

	private final int maxInFlight;

	private String key;

	private State state = State.RECEIVING;

	/** The part being filled; {@code null} before the first byte after a seal. */
	private UploadSink part;

	private long partBytes;

	private long size;

	private CompletableFuture<String> uploadId;

	private final List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();

	private int inFlight;

	private Runnable ready;

	private IOException failure;

	/** The last S3 request of this file, which a cleanup waits for. */
	private CompletableFuture<?> lastCall = CompletableFuture.completedFuture(null);

	private String etag;

	/** Whether a request that may create the object was sent. */
	private boolean wroteObject;

	private boolean cleaned;

	S3ObjectSink(S3Calls s3, UploadStore spools, S3Leftovers leftovers, UploadTarget target, String key, long partSize,
			int maxInFlight) {
		this.s3 = s3;
		this.spools = spools;
		this.leftovers = leftovers;
		this.target = target;
		this.key = key;
		this.partSize = partSize;
		this.maxInFlight = maxInFlight;
	}

	@Override
	public synchronized URI location() {
		return S3UploadStore.location(this.s3.bucket(), this.key);
	}

	@Override
	public synchronized Map<String, String> attributes() {
		return (this.etag != null) ? Map.of("bucket", this.s3.bucket(), "key", this.key, "etag", this.etag)
				: Map.of("bucket", this.s3.bucket(), "key", this.key);
	}

	@Override
	public synchronized boolean write(ByteBuffer data) throws IOException {
		if (this.failure != null) {
			throw this.failure;
		}
		if (this.state != State.RECEIVING) {
			throw new IOException("S3 object " + this.key + " no longer receiving: " + this.state);
		}
		while (data.hasRemaining()) {
			if (this.part != null && this.partBytes == this.partSize) {
				seal();
			}
			if (this.part == null) {
				this.part = this.spools.create(this.target);
				this.partBytes = 0;
			}
			int take = (int) Math.min(data.remaining(), this.partSize - this.partBytes);
			int start = data.position();
			this.part.write(data.slice(start, take));
			data.position(start + take);
			this.partBytes += take;
			this.size += take;
		}
		return this.inFlight < this.maxInFlight;
	}

	@Override
	public void onReady(Runnable callback) {
		boolean now;
		synchronized (this) {
			now = this.inFlight < this.maxInFlight || this.failure != null;
			this.ready = now ? null : callback;
		}
		if (now) {
			callback.run();
		}
	}

	@Override
	public synchronized CompletionStage<Void> finish() {
		if (this.failure != null) {
			return CompletableFuture.failedFuture(this.failure);
		}
		this.state = State.STORING;
		CompletableFuture<String> stored;
		if (this.uploadId == null) {
			UploadSink single = this.part;
			long length = this.partBytes;
			this.part = null;
			this.wroteObject = true;
			stored = closed(single).thenCompose((file) -> this.s3.async(() -> {
				try {
					return this.s3.putObject(this.key, this.target.contentType(),
							(single != null) ? single.path() : null, length);
				}
				finally {
					discardQuietly(single);
				}
			}));
		}
		else {
			if (this.part != null) {
				seal();
			}
			this.wroteObject = true;
			CompletableFuture<String> id = this.uploadId;
			List<CompletableFuture<CompletedPart>> all = List.copyOf(this.parts);
			stored = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
				.thenCombine(id, (done, uploadId) -> uploadId)
				.thenCompose((uploadId) -> this.s3.async(() -> this.s3.completeMultipartUpload(this.key, uploadId,
						all.stream()
							.map(CompletableFuture::join)
							.sorted(Comparator.comparing(CompletedPart::partNumber))
							.toList())));
		}
		this.lastCall = stored;
		return stored.handle((tag, ex) -> {
			settled(tag, ex);
			return null;
		});
	}

	private synchronized void settled(String tag, Throwable ex) {
		if (ex != null) {
			fail(S3Calls.cause(ex));
			throw new CompletionException(this.failure);
		}
		this.etag = tag;
		if (this.state == State.STORING) {
			this.state = State.STORED;
		}
		else if (this.state == State.DISCARDED) {
			cleanUp(); // discarded while it was being stored: the object goes too
		}
	}

	@Override
	public URI keep(String name) throws IOException {
		String from;
		synchronized (this) {
			if (this.state == State.KEPT) {
				throw new IllegalStateException("already kept at " + location());
			}
			if (this.state != State.STORED) {
				throw new IllegalStateException("S3 object " + this.key + " is not stored: " + this.state);
			}
			if (name == null || name.equals(this.key)) {
				this.state = State.KEPT;
				return location();
			}
			from = this.key;
		}
		S3UploadStore.checkKey(name);
		// blocking on the caller's thread: the store's threads are the uploads'
		String copied = this.s3.copyObject(from, name, this.size, this.target.contentType());
		synchronized (this) {
			this.key = name;
			this.etag = copied;
			this.state = State.KEPT;
		}
		try {
			this.s3.deleteObject(from);
		}
		catch (IOException ex) {
			this.leftovers.removeWhenSettled(CompletableFuture.completedFuture(null), from, null);
		}
		return location();
	}

	@Override
	public void discard() {
		synchronized (this) {
			if (this.state == State.DISCARDED || this.state == State.KEPT) {
				return;
			}
			boolean storing = this.state == State.STORING;
			this.state = State.DISCARDED;
			discardQuietly(this.part);
			this.part = null;
			if (storing) {
				return; // settled() cleans up once S3 answered
			}
		}
		cleanUp();
	}

	/** Seals the full part and uploads it; the multipart upload begins with the first. */
	private void seal() {
		int number = this.parts.size() + 1;
		if (number > S3UploadStore.MAX_PARTS) {
			// the part stays with the sink: the discard that follows removes it
			throw new HttpException(413, "file over 10,000 parts of " + this.partSize + " bytes");
		}
		UploadSink sealed = this.part;
		long length = this.partBytes;
		this.part = null;
		if (this.uploadId == null) {
			this.uploadId = this.s3.async(() -> this.s3.createMultipartUpload(this.key, this.target.contentType()));
			this.lastCall = this.uploadId;
		}
		this.inFlight++;
		CompletableFuture<CompletedPart> uploaded = closed(sealed).thenCombine(this.uploadId, (file, id) -> id)
			.thenCompose((id) -> this.s3.async(() -> this.s3.uploadPart(this.key, id, number, sealed.path(), length)));
		uploaded.whenComplete((done, ex) -> partSettled(sealed, ex));
		this.parts.add(uploaded);
	}

	private void partSettled(UploadSink sealed, Throwable ex) {
		discardQuietly(sealed);
		Runnable wake;
		synchronized (this) {
			this.inFlight--;
			if (ex != null) {
				fail(S3Calls.cause(ex));
			}
			wake = (this.inFlight < this.maxInFlight || this.failure != null) ? this.ready : null;
			if (wake != null) {
				this.ready = null;
			}
		}
		if (wake != null) {
			wake.run();
		}
	}

	/** The first failure wins; what was stored is cleaned up. */
	private void fail(IOException ex) {
		if (this.failure == null) {
			this.failure = ex;
		}
		if (this.state == State.RECEIVING || this.state == State.STORING) {
			this.state = State.FAILED;
			discardQuietly(this.part);
			this.part = null;
		}
		cleanUp();
	}

	/**
	 * Once every request of this file settled: aborts its multipart upload and deletes
	 * its key (a completion whose answer was lost may have made the object). Once; what
	 * S3 refuses now, the store retries.
	 */
	private synchronized void cleanUp() {
		if (this.cleaned || (this.uploadId == null && !this.wroteObject)) {
			return; // nothing was sent to S3: the spool files are gone already
		}
		this.cleaned = true;
		CompletableFuture<?> settled = CompletableFuture.allOf(this.parts.toArray(CompletableFuture[]::new))
			.handle((ok, ex) -> null)
			.thenCompose((v) -> this.lastCall.handle((ok, ex) -> null));
		this.leftovers.removeWhenSettled(settled, this.key, this.uploadId);
	}

	/** Closes a spool file; completes when its bytes are all in it. */
	private static CompletableFuture<Void> closed(UploadSink spool) {
		return (spool != null) ? spool.finish().toCompletableFuture() : CompletableFuture.completedFuture(null);
	}

	private static void discardQuietly(UploadSink spool) {
		if (spool != null) {
			spool.discard();
		}
	}

}
