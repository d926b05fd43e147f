package io.evhttp.s3;

import io.evhttp.resumable.LeaseTakeovers;
import io.evhttp.resumable.LeaseUnavailableException;
import io.evhttp.resumable.NewUpload;
import io.evhttp.resumable.ResumableStore;
import io.evhttp.resumable.UploadAppend;
import io.evhttp.resumable.UploadInfo;
import io.evhttp.resumable.UploadLease;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Resumable uploads in S3 that any node sharing the bucket continues. Per upload id,
 * under the prefix:
 * <ul>
 * <li>{@code <id>.info}: the state ({@link S3UploadState}) as one small JSON object, read
 * with one GET and replaced by compare-and-swap ({@code If-Match} on its ETag,
 * {@code If-None-Match: *} to create);</li>
 * <li>one multipart upload of {@code <id>}, whose parts (all of the part size, 8 MiB by
 * default) are uploaded as they fill and count once recorded in the state;</li>
 * <li>{@code <id>.tail.<epoch>.<n>}: the bytes past the last full part, until the next
 * append fills a part or the upload completes;</li>
 * <li>{@code <id>}: the complete upload, carrying its final state as user metadata, so
 * that nothing else is left once it is complete.</li>
 * </ul>
 *
 * <p>
 * Writers hold a lease recorded in the state (holder, epoch, expiry; see
 * {@link S3Lease}); a requester raises {@code stop} and the holder lets go within about a
 * poll interval and a commit; a dead holder's lease expires after the lease duration.
 * Completion is the holder's compare-and-swap to COMPLETING, so it happens once across
 * nodes. Each S3 request is counted ({@link #requestCounts}).
 *
 * <p>
 * Give it a prefix of its own: an {@link S3UploadStore} sweeping the same prefix would
 * abort the multipart uploads of resumable uploads older than its sweep age.
 */
public final class S3ResumableStore implements ResumableStore, LeaseTakeovers, AutoCloseable {

	private static final Logger log = Logger.getLogger(S3ResumableStore.class.getName());

	private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

	/** The user metadata key of a complete upload's state. */
	static final String STATE_METADATA = "evhttp-upload";

	/** S3 takes 2 KB of user metadata; beyond this the state object is kept instead. */
	private static final int MAX_METADATA = 1800;

	private final S3Calls s3;

	private final LongAdder takeovers = new LongAdder();

	private final S3ResumableCalls calls;

	private final String prefix;

	private final long partSize;

	private final int maxPartsInFlight;

	private final Duration leaseDuration;

	private final Duration pollInterval;

	private final Path spoolDirectory;

	private final Clock clock;

	private final ScheduledExecutorService scheduler;

	private final SecureRandom random = new SecureRandom();

	private final String node;

	private S3ResumableStore(Builder b) {
		this.s3 = new S3Calls(b.client, b.bucket, b.maxConcurrentRequests, Duration.ofSeconds(30));
		this.calls = new S3ResumableCalls(b.client, this.s3);
		this.prefix = b.prefix;
		this.partSize = b.partSize;
		this.maxPartsInFlight = b.maxPartsInFlight;
		this.leaseDuration = b.leaseDuration;
		this.pollInterval = b.pollInterval;
		this.spoolDirectory = b.spoolDirectory.toAbsolutePath();
		this.clock = b.clock;
		this.node = hex(4);
		try {
			Files.createDirectories(this.spoolDirectory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create spool directory " + this.spoolDirectory, ex);
		}
		ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(4, (r) -> {
			Thread t = new Thread(r, "evhttp-s3-lease");
			t.setDaemon(true);
			return t;
		});
		pool.setRemoveOnCancelPolicy(true);
		this.scheduler = pool;
	}

	public static Builder builder(S3Client client, String bucket) {
		return new Builder(client, bucket);
	}

	public String bucket() {
		return this.s3.bucket();
	}

	public String prefix() {
		return this.prefix;
	}

	/** S3 requests made so far, by request name (GetObject, PutObject, UploadPart...). */
	@Override
	public long leaseTakeovers() {
		return this.takeovers.sum();
	}

	public Map<String, Long> requestCounts() {
		return this.calls.counts();
	}

	@Override
	public UploadInfo create(NewUpload upload) throws IOException {
		String id = hex(16);
		boolean concatenated = !upload.parts().isEmpty();
		UploadInfo info = new UploadInfo(id, concatenated ? -1 : upload.length(), 0, upload.metadata(),
				upload.expiresAt(), false, upload.partial(), upload.parts());
		S3UploadState state = S3UploadState.created(info).withWrite(nonce());
		if (casOrOwn(id, state, null) == null) {
			throw new IOException("upload id " + id + " taken"); // 128 random bits: never
		}
		return concatenated ? concatenate(id, upload.parts()) : info;
	}

	/** Streams the partial uploads' objects, in order, into the new upload. */
	private UploadInfo concatenate(String id, List<String> parts) throws IOException {
		try (UploadLease lease = lease(id, Duration.ZERO)) {
			UploadAppend append = lease.append();
			ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
			for (String part : parts) {
				try (InputStream in = this.calls.open(objectKey(checked(part)))) {
					int n;
					while ((n = in.read(buffer.array())) > 0) {
						buffer.clear().limit(n);
						if (!append.write(buffer)) {
							CountDownLatch ready = new CountDownLatch(1);
							append.onReady(ready::countDown);
							ready.await();
						}
					}
				}
			}
			append.commit();
			return lease.complete();
		}
		catch (LeaseUnavailableException ex) {
			throw new IOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while concatenating " + id, ex);
		}
	}

	/**
	 * One GET for an upload in progress; a complete one costs a HEAD of its object more.
	 */
	@Override
	public UploadInfo read(String id) throws IOException {
		if (!isId(id)) {
			return null;
		}
		S3ResumableCalls.Versioned v = this.calls.get(infoKey(id));
		if (v != null) {
			S3UploadState state = S3UploadState.parse(v.text());
			return (state.phase() == S3UploadState.Phase.TERMINATING) ? null : state.info();
		}
		return completed(id);
	}

	@Override
	public UploadLease lease(String id, Duration wait) throws IOException, LeaseUnavailableException {
		if (!isId(id)) {
			return null;
		}
		long deadline = System.nanoTime() + wait.toNanos();
		String holder = this.node + "." + hex(6);
		boolean held = false;
		while (true) {
			S3ResumableCalls.Versioned v = this.calls.get(infoKey(id));
			if (v == null) {
				UploadInfo done = completed(id);
				return (done != null) ? new S3CompletedLease(this, done) : null;
			}
			S3UploadState state = S3UploadState.parse(v.text());
			long now = this.clock.millis();
			if (!state.leased(now)) {
				S3UploadState mine = state
					.withLease(holder, state.epoch() + 1, now + this.leaseDuration.toMillis(), false)
					.withWrite(nonce());
				String etag = casOrOwn(id, mine, v.etag());
				if (etag != null) {
					if (held || state.holder() != null) { // asked to stop, or its lease
															// ran out
						this.takeovers.increment();
					}
					return taken(new S3Lease(this, holder, mine, etag));
				}
				continue; // another requester won: look again
			}
			held = true;
			if (System.nanoTime() >= deadline) {
				throw new LeaseUnavailableException(id);
			}
			if (!state.stop()) {
				S3UploadState asked = state.withLease(state.holder(), state.epoch(), state.leaseUntil(), true)
					.withWrite(nonce());
				this.calls.putIf(infoKey(id), asked.json(), v.etag()); // lost race:
																		// looked at again
			}
			pause(deadline);
		}
	}

	/** A lease found mid-completion (its holder died) finishes it first. */
	private UploadLease taken(S3Lease lease) throws IOException {
		try {
			if (lease.info().complete()) {
				lease.complete();
			}
			return lease;
		}
		catch (IOException | RuntimeException ex) {
			lease.close();
			throw ex;
		}
	}

	/** Writes {@code next} by CAS; a 412 for our own retried write counts as ours. */
	private String casOrOwn(String id, S3UploadState next, String etag) throws IOException {
		String written = this.calls.putIf(infoKey(id), next.json(), etag);
		if (written != null) {
			return written;
		}
		S3ResumableCalls.Versioned fresh = this.calls.get(infoKey(id));
		return (fresh != null && next.write().equals(S3UploadState.parse(fresh.text()).write())) ? fresh.etag() : null;
	}

	private void pause(long deadline) throws LeaseUnavailableException {
		long left = Math.min(deadline - System.nanoTime(), this.pollInterval.toNanos());
		if (left > 0) {
			try {
				TimeUnit.NANOSECONDS.sleep(left); // polling S3: there is nothing to wait
													// on
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new LeaseUnavailableException("interrupted");
			}
		}
	}

	@Override
	public URI location(String id) {
		return S3UploadStore.location(bucket(), objectKey(checked(id)));
	}

	@Override
	public InputStream open(String id) throws IOException {
		String key = objectKey(checked(id));
		try {
			return this.calls.open(key);
		}
		catch (IOException ex) {
			// no object yet: a completion whose holder died is finished by the next lease
			S3ResumableCalls.Versioned v = this.calls.get(infoKey(id));
			if (v == null || S3UploadState.parse(v.text()).phase() != S3UploadState.Phase.COMPLETING) {
				throw ex;
			}
			try (UploadLease lease = lease(id, this.leaseDuration)) {
				if (lease == null) {
					throw ex;
				}
			}
			catch (LeaseUnavailableException busy) {
				ex.addSuppressed(busy);
				throw ex;
			}
			return this.calls.open(key);
		}
	}

	/**
	 * Lists the prefix: every state object and every complete upload's object is read.
	 */
	@Override
	public List<UploadInfo> expired(Instant now) throws IOException {
		Set<String> states = new LinkedHashSet<>();
		Set<String> objects = new LinkedHashSet<>();
		this.calls.list(this.prefix, (key) -> {
			String name = key.substring(this.prefix.length());
			if (name.endsWith(".info") && isId(name.substring(0, name.length() - 5))) {
				states.add(name.substring(0, name.length() - 5));
			}
			else if (isId(name)) {
				objects.add(name);
			}
		});
		objects.removeAll(states);
		List<UploadInfo> expired = new ArrayList<>();
		for (String id : states) {
			try {
				S3ResumableCalls.Versioned v = this.calls.get(infoKey(id));
				S3UploadState state = (v != null) ? S3UploadState.parse(v.text()) : null;
				if (state != null
						&& (state.expiresAt().isBefore(now) || state.phase() == S3UploadState.Phase.TERMINATING)) {
					expired.add(state.info());
				}
			}
			catch (IOException | RuntimeException ex) {
				log.log(Level.WARNING, "skipping unreadable upload state " + id, ex);
			}
		}
		for (String id : objects) {
			UploadInfo info = completed(id);
			if (info != null && info.expiresAt().isBefore(now)) {
				expired.add(info);
			}
		}
		return expired;
	}

	/** Stops the lease heartbeats and the store's threads; the client is the caller's. */
	@Override
	public void close() {
		this.scheduler.shutdownNow();
		this.s3.close();
	}

	// ---- for leases and appends

	private UploadInfo completed(String id) throws IOException {
		S3ResumableCalls.Head head = this.calls.head(objectKey(id));
		String encoded = (head != null) ? head.metadata().get(STATE_METADATA) : null;
		if (encoded == null) {
			return null;
		}
		S3UploadState s = S3UploadState.parse(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
		return new UploadInfo(id, head.size(), head.size(), s.metadata(), s.expiresAt(), true, s.partial(), s.concat());
	}

	/**
	 * The user metadata a complete upload's object carries: its final state, or nothing
	 * when that is too large for S3 (the state object is kept then).
	 */
	Map<String, String> objectMetadata(S3UploadState s) {
		S3UploadState done = new S3UploadState(s.id(), -1, -1, s.metadata(), s.expiresAt(),
				S3UploadState.Phase.COMPLETE, s.partial(), s.concat(), null, List.of(), null, 0, 0, 0, null, 0, false,
				null);
		String encoded = Base64.getEncoder().encodeToString(done.json().getBytes(StandardCharsets.UTF_8));
		return (encoded.length() <= MAX_METADATA) ? Map.of(STATE_METADATA, encoded) : Map.of();
	}

	/** Removes everything of an upload: multipart uploads, tails, object, state last. */
	void removeAll(String id) throws IOException {
		this.calls.abortMultipartUploads(objectKey(id));
		removeLeftovers(id, false, false);
	}

	/** Deletes tails, the object and the state (the last unless kept). */
	void removeLeftovers(String id, boolean keepObject, boolean keepState) throws IOException {
		List<String> keys = new ArrayList<>();
		this.calls.list(this.prefix + id + ".", keys::add);
		if (keepObject) {
			this.calls.abortMultipartUploads(objectKey(id)); // orphans of a lost CAS
		}
		for (String key : keys) {
			if (!key.equals(infoKey(id))) {
				this.calls.delete(key);
			}
		}
		if (!keepObject) {
			this.calls.delete(objectKey(id));
		}
		if (!keepState) {
			this.calls.delete(infoKey(id));
		}
	}

	void deleteQuietly(String key) {
		try {
			this.calls.delete(key);
		}
		catch (IOException ex) {
			log.log(Level.FINE, "cannot delete " + key + "; removed with its upload", ex);
		}
	}

	String infoKey(String id) {
		return this.prefix + id + ".info";
	}

	String objectKey(String id) {
		return this.prefix + id;
	}

	String tailKey(String id, long epoch, int n) {
		return this.prefix + id + ".tail." + epoch + "." + n;
	}

	Path spoolFile() throws IOException {
		return Files.createTempFile(this.spoolDirectory, "resumable-", ".part");
	}

	String nonce() {
		return hex(8);
	}

	S3ResumableCalls calls() {
		return this.calls;
	}

	S3Calls s3() {
		return this.s3;
	}

	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	Clock clock() {
		return this.clock;
	}

	long partSize() {
		return this.partSize;
	}

	int maxPartsInFlight() {
		return this.maxPartsInFlight;
	}

	Duration leaseDuration() {
		return this.leaseDuration;
	}

	Duration pollInterval() {
		return this.pollInterval;
	}

	private String hex(int bytes) {
		byte[] b = new byte[bytes];
		this.random.nextBytes(b);
		return HexFormat.of().formatHex(b);
	}

	private static boolean isId(String id) {
		return id != null && ID.matcher(id).matches();
	}

	private static String checked(String id) {
		if (!isId(id)) {
			throw new IllegalArgumentException("not an upload id: " + id);
		}
		return id;
	}

	/** Settings of an {@link S3ResumableStore}. */
	public static final class Builder {

		private final S3Client client;

		private final String bucket;

		private String prefix = "";

		private long partSize = 8L * 1024 * 1024;

		private int maxPartsInFlight = 4;

		private int maxConcurrentRequests = 16;

		private Duration leaseDuration = Duration.ofSeconds(10);

		private Duration pollInterval = Duration.ofMillis(250);

		private Path spoolDirectory = Path.of(System.getProperty("java.io.tmpdir"), "evhttp-resumable");

		private Clock clock = Clock.systemUTC();

		private Builder(S3Client client, String bucket) {
			this.client = Objects.requireNonNull(client, "client");
			if (bucket == null || bucket.isBlank()) {
				throw new IllegalArgumentException("a bucket must be named");
			}
			this.bucket = bucket;
		}

		/** Where keys begin ({@code ""} by default), e.g. {@code "resumable/"}. */
		public Builder prefix(String prefix) {
			this.prefix = Objects.requireNonNull(prefix, "prefix");
			return this;
		}

		/**
		 * Part size (8 MiB by default, 5 MiB to 5 GiB): every part but the last has it,
		 * as stores that want equal parts (R2) require.
		 */
		public Builder partSize(long partSize) {
			if (partSize < S3UploadStore.MIN_PART_SIZE || partSize > S3UploadStore.MAX_PART_SIZE) {
				throw new IllegalArgumentException("part size must be 5 MiB to 5 GiB, not " + partSize);
			}
			this.partSize = partSize;
			return this;
		}

		/** Parts of one request uploading at once before it stops being read (4). */
		public Builder maxPartsInFlight(int maxPartsInFlight) {
			if (maxPartsInFlight < 1) {
				throw new IllegalArgumentException("max parts in flight must be at least 1");
			}
			this.maxPartsInFlight = maxPartsInFlight;
			return this;
		}

		/** Part uploads at once across the store, and its threads (16). */
		public Builder maxConcurrentRequests(int maxConcurrentRequests) {
			if (maxConcurrentRequests < 1) {
				throw new IllegalArgumentException("max concurrent requests must be at least 1");
			}
			this.maxConcurrentRequests = maxConcurrentRequests;
			return this;
		}

		/**
		 * How long a lease lasts without a heartbeat: a dead holder's runs out (10 s).
		 */
		public Builder leaseDuration(Duration leaseDuration) {
			this.leaseDuration = Objects.requireNonNull(leaseDuration, "leaseDuration");
			return this;
		}

		/**
		 * How often a holder reads its state for a stop request, and a requester looks
		 * again (250 ms): a holder lets go within about this and one commit.
		 */
		public Builder pollInterval(Duration pollInterval) {
			this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
			return this;
		}

		/** Where parts are spooled before they are uploaded. */
		public Builder spoolDirectory(Path spoolDirectory) {
			this.spoolDirectory = Objects.requireNonNull(spoolDirectory, "spoolDirectory");
			return this;
		}

		/**
		 * The clock leases expire by (the system's); nodes' clocks must roughly agree.
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		public S3ResumableStore build() {
			return new S3ResumableStore(this);
		}

	}

}
