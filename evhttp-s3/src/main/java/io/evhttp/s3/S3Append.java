package io.evhttp.s3;

import io.evhttp.resumable.UploadAppend;
import io.evhttp.resumable.UploadInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Bytes appended to an S3 upload by one request, spooled to local files one part at a
 * time (never held on the heap).
 *
 * <pre>
 *   RECEIVING --commit--&gt; COMMITTED (parts settled, tail object written, state CAS)
 *   RECEIVING --discard, or a part failed--&gt; DISCARDED (nothing recorded)
 * </pre>
 *
 * <p>
 * The spool starts with the upload's tail (the bytes past its last full part), so every
 * part but the last is exactly the part size. A part is uploaded, under a number of this
 * lease's own range, as soon as it fills, while the next one fills; with
 * {@code maxInFlight} parts uploading, {@link #write} answers {@code false}. Nothing
 * counts until {@link #commit}: it waits for the parts, writes what is left as a new tail
 * object and records both in the state; the offset moves only then.
 */
final class S3Append implements UploadAppend {

	private static final Logger log = Logger.getLogger(S3Append.class.getName());

	private enum State {

		RECEIVING, COMMITTED, DISCARDED

	}

	private final S3ResumableStore store;

	private final S3Lease lease;

	private final long start;

	private final String key;

	private final List<CompletableFuture<S3UploadState.Part>> parts = new ArrayList<>();

	private State state = State.RECEIVING;

	private Path spool;

	private FileChannel channel;

	private long spooled;

	private long written;

	private int inFlight;

	private Runnable ready;

	private IOException failure;

	S3Append(S3ResumableStore store, S3Lease lease, long start, String tailKey, long tailSize) throws IOException {
		this.store = store;
		this.lease = lease;
		this.start = start;
		this.key = store.objectKey(lease.id());
		this.spool = store.spoolFile();
		try {
			if (tailKey != null && tailSize > 0) {
				store.calls().download(tailKey, this.spool);
				this.spooled = tailSize;
			}
			this.channel = FileChannel.open(this.spool, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
		}
		catch (IOException | RuntimeException ex) {
			Files.deleteIfExists(this.spool);
			throw ex;
		}
	}

	@Override
	public synchronized boolean write(ByteBuffer data) throws IOException {
		if (this.failure != null) {
			throw this.failure;
		}
		if (this.state != State.RECEIVING) {
			throw new IOException("append no longer receiving: " + this.state);
		}
		long partSize = this.store.partSize();
		while (data.hasRemaining()) {
			int take = (int) Math.min(data.remaining(), partSize - this.spooled);
			ByteBuffer slice = data.slice(data.position(), take);
			while (slice.hasRemaining()) {
				this.channel.write(slice);
			}
			data.position(data.position() + take);
			this.spooled += take;
			this.written += take;
			if (this.spooled == partSize) {
				seal();
			}
		}
		return this.inFlight < this.store.maxPartsInFlight();
	}

	@Override
	public void onReady(Runnable ready) {
		boolean now;
		synchronized (this) {
			now = this.inFlight < this.store.maxPartsInFlight() || this.failure != null;
			this.ready = now ? null : ready;
		}
		if (now) {
			ready.run();
		}
	}

	@Override
	public synchronized long written() {
		return this.written;
	}

	@Override
	public UploadInfo commit() throws IOException {
		List<CompletableFuture<S3UploadState.Part>> uploading;
		synchronized (this) {
			if (this.state != State.RECEIVING) {
				return this.lease.info();
			}
			this.state = State.COMMITTED;
			this.channel.close();
			uploading = List.copyOf(this.parts);
		}
		List<S3UploadState.Part> stored = new ArrayList<>();
		try {
			for (CompletableFuture<S3UploadState.Part> part : uploading) {
				stored.add(part.join());
			}
		}
		catch (RuntimeException ex) {
			Files.deleteIfExists(this.spool);
			throw S3Calls.cause(ex);
		}
		if (this.written == 0) {
			Files.deleteIfExists(this.spool);
			return this.lease.info();
		}
		stored.sort(Comparator.comparingInt(S3UploadState.Part::number));
		String tailKey = null;
		try {
			if (this.spooled > 0) {
				tailKey = this.lease.newTailKey();
				this.store.calls().putFile(tailKey, this.spool, this.spooled, java.util.Map.of());
			}
			return this.lease.committed(stored, tailKey, this.spooled, this.start + this.written,
					(this.spooled > 0) ? this.spool : null);
		}
		catch (IOException | RuntimeException ex) {
			if (tailKey != null) {
				this.store.deleteQuietly(tailKey);
			}
			Files.deleteIfExists(this.spool);
			throw ex;
		}
		finally {
			if (this.spooled == 0) {
				Files.deleteIfExists(this.spool);
			}
		}
	}

	/** Forgets the bytes: parts already uploaded are never recorded, so never count. */
	@Override
	public void discard() throws IOException {
		synchronized (this) {
			if (this.state != State.RECEIVING) {
				return;
			}
			this.state = State.DISCARDED;
			this.channel.close();
		}
		Files.deleteIfExists(this.spool);
	}

	/** Uploads the full spool file as the next part; a fresh one takes the next bytes. */
	private void seal() throws IOException {
		this.channel.close();
		Path sealed = this.spool;
		long length = this.spooled;
		int number = this.lease.assignPart();
		this.spool = this.store.spoolFile();
		this.channel = FileChannel.open(this.spool, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
		this.spooled = 0;
		this.inFlight++;
		String key = this.key;
		CompletableFuture<S3UploadState.Part> uploaded = this.store.s3().async(() -> {
			String uploadId = this.lease.reserve(number);
			return this.store.calls().uploadPart(key, uploadId, number, sealed, length);
		});
		uploaded.whenComplete((part, ex) -> settled(sealed, ex));
		this.parts.add(uploaded);
	}

	private void settled(Path sealed, Throwable ex) {
		try {
			Files.deleteIfExists(sealed);
		}
		catch (IOException io) {
			log.log(Level.FINE, "cannot delete spool file " + sealed, io);
		}
		Runnable wake;
		synchronized (this) {
			this.inFlight--;
			if (ex != null && this.failure == null) {
				this.failure = S3Calls.cause(ex);
			}
			wake = (this.inFlight < this.store.maxPartsInFlight() || this.failure != null) ? this.ready : null;
			if (wake != null) {
				this.ready = null;
			}
		}
		if (wake != null) {
			wake.run();
		}
	}

}
