package io.evhttp.s3;

import io.evhttp.upload.LocalDiskStore;
import io.evhttp.upload.UploadSink;
import io.evhttp.upload.UploadStore;
import io.evhttp.upload.UploadTarget;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An upload store that streams each file into its own S3 object while the request
 * arrives: parts of at least {@link #MIN_PART_SIZE} are spooled to files in a local
 * directory (by default {@code tmp-path}) and uploaded as parts of a multipart upload
 * while the next one fills; a file of one part or less goes with a single
 * {@code PutObject}. Works with AWS S3 and S3-compatible services (MinIO, Ceph RGW, R2,
 * S3Proxy).
 *
 * <pre>{@code
 * S3UploadStore store = S3UploadStore.builder(s3Client, "my-bucket")
 *     .prefix("uploads/")
 *     .spoolDirectory(Path.of("/var/tmp/evhttp"))
 *     .build();
 * EvServer server = new EvServer(options, store);
 * }</pre>
 *
 * <p>
 * Keys are the prefix and 128 random bits in hex, never the client's filename. An object
 * is removed when its request ends unless the application
 * {@linkplain io.evhttp.server.UploadedFile#keep() keeps} it (where it is, at no cost) or
 * {@linkplain io.evhttp.server.UploadedFile#keepAs keeps it under a key of its own} (a
 * copy made by S3). Every failure aborts the multipart upload and deletes the object.
 * {@link #sweep} retries the removals S3 refused and aborts the multipart uploads that
 * crashed servers left under the prefix; a bucket lifecycle rule that aborts incomplete
 * multipart uploads is the backstop.
 *
 * <p>
 * Bounds: at most {@code maxPartsInFlight} parts per file are sealed and waiting (the
 * request stops being read meanwhile), so a file's spool never exceeds
 * {@code (maxPartsInFlight + 1) × partSize}; at most {@code maxConcurrentRequests}
 * requests to S3 run at once across the server, each on one of the store's threads. The
 * {@link S3Client} is the application's: its HTTP client, retries and timeouts decide how
 * long an unreachable S3 is tried before the request is answered 503.
 */
public final class S3UploadStore implements UploadStore, AutoCloseable {

	/** S3's smallest part but the last. */
	public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

	/** S3's largest part. */
	public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

	/** S3's most parts in one multipart upload. */
	public static final int MAX_PARTS = 10_000;

	private static final long MIB = 1024 * 1024;

	/** Longest {@link #check}: a health check must answer. */
	private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

	private final S3Calls s3;

	private final S3Client client;

	private final String prefix;

	private final long partSize;

	private final int maxPartsInFlight;

	private final Duration sweepAge;

	private final UploadStore spools;

	private final S3Leftovers leftovers;

	private final SecureRandom random = new SecureRandom();

	private final ScheduledExecutorService sweeper;

	private S3UploadStore(Builder builder) {
		this.client = builder.client;
		this.prefix = builder.prefix;
		this.partSize = builder.partSize;
		this.maxPartsInFlight = builder.maxPartsInFlight;
		this.sweepAge = builder.sweepAge;
		this.s3 = new S3Calls(builder.client, builder.bucket, builder.maxConcurrentRequests, builder.retryAfter);
		this.spools = new LocalDiskStore(builder.spoolDirectory);
		this.leftovers = new S3Leftovers(this.s3, this.prefix);
		if (builder.sweepInterval.isZero()) {
			this.sweeper = null;
		}
		else {
			this.sweeper = Executors.newSingleThreadScheduledExecutor((r) -> {
				Thread t = new Thread(r, "evhttp-s3-sweep");
				t.setDaemon(true);
				return t;
			});
			long every = builder.sweepInterval.toMillis();
			this.sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
		}
	}

	/** A builder for a store writing into {@code bucket} through {@code client}. */
	public static Builder builder(S3Client client, String bucket) {
		return new Builder(client, bucket);
	}

	public String bucket() {
		return this.s3.bucket();
	}

	public String prefix() {
		return this.prefix;
	}

	/** The part size for files of unknown length; larger files get larger parts. */
	public long partSize() {
		return this.partSize;
	}

	/** The client the store calls S3 with. */
	public S3Client client() {
		return this.client;
	}

	/**
	 * No: a sink is only an object in memory; S3 is first called, and the first spool
	 * file created, when bytes arrive.
	 */
	@Override
	public boolean createMayBlock() {
		return false;
	}

	@Override
	public UploadSink create(UploadTarget target) throws IOException {
		return new S3ObjectSink(this.s3, this.spools, this.leftovers, target, newKey(), partSize(target.lengthBound()),
				this.maxPartsInFlight);
	}

	/**
	 * The part size for a file of at most {@code bound} bytes (-1: unknown): the
	 * configured one, grown in whole MiB until the file fits in {@link #MAX_PARTS}.
	 */
	long partSize(long bound) {
		if (bound <= (long) MAX_PARTS * this.partSize) {
			return this.partSize;
		}
		long needed = (bound + MAX_PARTS - 1) / MAX_PARTS;
		return Math.min(MAX_PART_SIZE, (needed + MIB - 1) / MIB * MIB);
	}

	/** Unreachable S3, a missing bucket or refused credentials fail the check. */
	@Override
	public void check() throws IOException {
		this.s3.headBucket(CHECK_TIMEOUT);
	}

	/**
	 * Retries the removals S3 refused, and aborts the multipart uploads under the prefix
	 * older than the sweep age; runs when a server starts and every sweep interval.
	 */
	@Override
	public int sweep() {
		return this.leftovers.sweep(this.sweepAge);
	}

	/** Removals S3 refused so far, waiting for the next sweep. */
	public int pendingRemovals() {
		return this.leftovers.pending();
	}

	/** Stops the store's threads; the client is the application's to close. */
	@Override
	public void close() {
		if (this.sweeper != null) {
			this.sweeper.shutdownNow();
		}
		this.s3.close();
	}

	@Override
	public String toString() {
		return "s3://" + bucket() + "/" + this.prefix;
	}

	private String newKey() {
		byte[] bytes = new byte[16];
		this.random.nextBytes(bytes);
		return this.prefix + HexFormat.of().formatHex(bytes);
	}

	static URI location(String bucket, String key) {
		try {
			return new URI("s3", bucket, "/" + key, null);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("bucket " + bucket + " and key " + key + " make no URI", ex);
		}
	}

	/** An object key S3 takes: 1 to 1,024 bytes of UTF-8. */
	static void checkKey(String key) {
		int bytes = key.getBytes(StandardCharsets.UTF_8).length;
		if (bytes == 0 || bytes > 1024) {
			throw new IllegalArgumentException("an S3 key has 1 to 1024 bytes, not " + bytes);
		}
	}

	/** Settings of an {@link S3UploadStore}. */
	public static final class Builder {

		private final S3Client client;

		private final String bucket;

		private String prefix = "";

		private long partSize = 8 * MIB;

		private int maxPartsInFlight = 8;

		private int maxConcurrentRequests = 64;

		private Path spoolDirectory = Path.of(System.getProperty("java.io.tmpdir"), "evhttp");

		private Duration sweepAge = Duration.ofDays(1);

		private Duration sweepInterval = Duration.ofHours(1);

		private Duration retryAfter = Duration.ofSeconds(30);

		private Builder(S3Client client, String bucket) {
			this.client = Objects.requireNonNull(client, "client");
			if (bucket == null || bucket.isBlank()) {
				throw new IllegalArgumentException("a bucket must be named");
			}
			this.bucket = bucket;
		}

		/**
		 * Where keys begin ({@code ""} by default), e.g. {@code "uploads/"}; the sweep
		 * looks under it only.
		 */
		public Builder prefix(String prefix) {
			this.prefix = Objects.requireNonNull(prefix, "prefix");
			return this;
		}

		/**
		 * Part size (8 MiB by default, at least 5 MiB): a file with a declared length or
		 * a size limit that would not fit in 10,000 parts gets larger ones.
		 */
		public Builder partSize(long partSize) {
			if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
				throw new IllegalArgumentException("part size must be 5 MiB to 5 GiB, not " + partSize);
			}
			this.partSize = partSize;
			return this;
		}

		/**
		 * Parts of one file sealed and not yet uploaded before its request waits (8: a
		 * file spools at most 9 parts).
		 */
		public Builder maxPartsInFlight(int maxPartsInFlight) {
			if (maxPartsInFlight < 1) {
				throw new IllegalArgumentException("max parts in flight must be at least 1");
			}
			this.maxPartsInFlight = maxPartsInFlight;
			return this;
		}

		/**
		 * Requests to S3 at once across the server, and the store's threads (64: a put
		 * and a delete per small file, for many uploads at once).
		 */
		public Builder maxConcurrentRequests(int maxConcurrentRequests) {
			if (maxConcurrentRequests < 1) {
				throw new IllegalArgumentException("max concurrent requests must be at least 1");
			}
			this.maxConcurrentRequests = maxConcurrentRequests;
			return this;
		}

		/** Where parts are spooled before they are uploaded: the server's tmp-path. */
		public Builder spoolDirectory(Path spoolDirectory) {
			this.spoolDirectory = Objects.requireNonNull(spoolDirectory, "spoolDirectory");
			return this;
		}

		/**
		 * Age beyond which a multipart upload under the prefix is a crashed server's and
		 * is aborted (1 day): longer than any upload lasts.
		 */
		public Builder sweepAge(Duration sweepAge) {
			this.sweepAge = Objects.requireNonNull(sweepAge, "sweepAge");
			return this;
		}

		/** How often the store sweeps (1 hour); zero for never but when asked. */
		public Builder sweepInterval(Duration sweepInterval) {
			this.sweepInterval = Objects.requireNonNull(sweepInterval, "sweepInterval");
			return this;
		}

		/** The {@code Retry-After} of a 503 when S3 is unavailable (30 s). */
		public Builder retryAfter(Duration retryAfter) {
			this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
			return this;
		}

		/**
		 * The store.
		 * @throws IllegalStateException when the spool directory cannot be created or
		 * written
		 */
		public S3UploadStore build() {
			return new S3UploadStore(this);
		}

	}

}
