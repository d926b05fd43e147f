package io.evhttp.server;

import io.evhttp.form.FormLimits;
import io.evhttp.http.HeadLimits;
import io.evhttp.multipart.MultipartLimits;
import io.evhttp.upload.DigestAlgorithm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every setting of an {@link EvServer}, immutable, with documented defaults. Build one
 * with {@link #builder()}.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr>
 * <th>setting</th>
 * <th>default</th>
 * <th>meaning</th>
 * </tr>
 * <tr>
 * <td>eventLoops</td>
 * <td>available processors</td>
 * <td>selector threads</td>
 * </tr>
 * <tr>
 * <td>readBufferBytes</td>
 * <td>256 KiB</td>
 * <td>direct read buffer of each loop</td>
 * </tr>
 * <tr>
 * <td>headLimits</td>
 * <td>{@link HeadLimits#DEFAULTS}</td>
 * <td>request line 414, header section 431</td>
 * </tr>
 * <tr>
 * <td>queryLimits</td>
 * <td>{@link FormLimits#QUERY_DEFAULTS}</td>
 * <td>query names/values (414)</td>
 * </tr>
 * <tr>
 * <td>formLimits</td>
 * <td>{@link FormLimits#BODY_DEFAULTS}</td>
 * <td>body fields (413)</td>
 * </tr>
 * <tr>
 * <td>multipartLimits</td>
 * <td>{@link MultipartLimits#DEFAULTS}</td>
 * <td>part headers, part count (413), preamble before the first delimiter (400)</td>
 * </tr>
 * <tr>
 * <td>maxFileBytes</td>
 * <td>-1 (none)</td>
 * <td>one uploaded file (413)</td>
 * </tr>
 * <tr>
 * <td>maxRequestBytes</td>
 * <td>-1 (none)</td>
 * <td>one request body (413)</td>
 * </tr>
 * <tr>
 * <td>timeout</td>
 * <td>60 s</td>
 * <td>wait for the next bytes of a request, and for its whole head (408); 0 = off</td>
 * </tr>
 * <tr>
 * <td>keepAliveTimeout</td>
 * <td>60 s</td>
 * <td>idle time between requests before closing</td>
 * </tr>
 * <tr>
 * <td>minBodyRate</td>
 * <td>240 bytes/s</td>
 * <td>slowest average body rate after the grace period (408); 0 = off</td>
 * </tr>
 * <tr>
 * <td>bodyRateGrace</td>
 * <td>{@code timeout}</td>
 * <td>time before the body rate and the response rate are checked</td>
 * </tr>
 * <tr>
 * <td>minResponseRate</td>
 * <td>240 bytes/s</td>
 * <td>slowest average rate at which a client takes a response that waits for it, after
 * the grace period (connection closed); 0 = off</td>
 * </tr>
 * <tr>
 * <td>maxConnections</td>
 * <td>0 (none)</td>
 * <td>open connections; accepting pauses at the cap</td>
 * </tr>
 * <tr>
 * <td>tmpPath</td>
 * <td>{@code java.io.tmpdir}/evhttp-uploads</td>
 * <td>where uploads are written</td>
 * </tr>
 * <tr>
 * <td>digest</td>
 * <td>NONE</td>
 * <td>digest computed over every file as it arrives</td>
 * </tr>
 * <tr>
 * <td>realIpHeader</td>
 * <td>none</td>
 * <td>header holding the client IP, honoured from trusted proxies only</td>
 * </tr>
 * <tr>
 * <td>trustedProxies</td>
 * <td>loopback</td>
 * <td>CIDRs whose {@code realIpHeader} is believed</td>
 * </tr>
 * <tr>
 * <td>diskBudgetBytes</td>
 * <td>-1 (none)</td>
 * <td>bytes promised to uploads in flight; free space is checked either way (507)</td>
 * </tr>
 * <tr>
 * <td>maxResponseBufferBytes</td>
 * <td>256 KiB</td>
 * <td>response bytes queued before {@code write} reports backpressure</td>
 * </tr>
 * </table>
 */
public final class ServerOptions {

	private final int eventLoops;

	private final int readBufferBytes;

	private final HeadLimits headLimits;

	private final FormLimits queryLimits;

	private final FormLimits formLimits;

	private final MultipartLimits multipartLimits;

	private final long maxFileBytes;

	private final long maxRequestBytes;

	private final Duration timeout;

	private final Duration keepAliveTimeout;

	private final long minBodyRate;

	private final Duration bodyRateGrace;

	private final long minResponseRate;

	private final int maxConnections;

	private final Path tmpPath;

	private final DigestAlgorithm digest;

	private final String realIpHeader;

	private final List<String> trustedProxies;

	private final int maxResponseBufferBytes;

	private final long diskBudgetBytes;

	private final java.util.concurrent.Executor diskWriteExecutor;

	private final java.util.concurrent.Executor fileOpenExecutor;

	private ServerOptions(Builder b) {
		this.eventLoops = b.eventLoops;
		this.readBufferBytes = b.readBufferBytes;
		this.headLimits = b.headLimits;
		this.queryLimits = b.queryLimits;
		this.formLimits = b.formLimits;
		this.multipartLimits = b.multipartLimits;
		this.maxFileBytes = b.maxFileBytes;
		this.maxRequestBytes = b.maxRequestBytes;
		this.timeout = b.timeout;
		this.keepAliveTimeout = b.keepAliveTimeout;
		this.minBodyRate = b.minBodyRate;
		this.bodyRateGrace = (b.bodyRateGrace != null) ? b.bodyRateGrace : b.timeout;
		this.minResponseRate = b.minResponseRate;
		this.maxConnections = b.maxConnections;
		this.tmpPath = b.tmpPath;
		this.digest = b.digest;
		this.realIpHeader = b.realIpHeader;
		this.trustedProxies = List.copyOf(b.trustedProxies);
		this.maxResponseBufferBytes = b.maxResponseBufferBytes;
		this.diskBudgetBytes = b.diskBudgetBytes;
		this.diskWriteExecutor = b.diskWriteExecutor;
		this.fileOpenExecutor = b.fileOpenExecutor;
	}

	public static Builder builder() {
		return new Builder();
	}

	public static ServerOptions defaults() {
		return builder().build();
	}

	public int eventLoops() {
		return this.eventLoops;
	}

	public int readBufferBytes() {
		return this.readBufferBytes;
	}

	public HeadLimits headLimits() {
		return this.headLimits;
	}

	public FormLimits queryLimits() {
		return this.queryLimits;
	}

	public FormLimits formLimits() {
		return this.formLimits;
	}

	public MultipartLimits multipartLimits() {
		return this.multipartLimits;
	}

	public long maxFileBytes() {
		return this.maxFileBytes;
	}

	public long maxRequestBytes() {
		return this.maxRequestBytes;
	}

	public Duration timeout() {
		return this.timeout;
	}

	public Duration keepAliveTimeout() {
		return this.keepAliveTimeout;
	}

	public long minBodyRate() {
		return this.minBodyRate;
	}

	public Duration bodyRateGrace() {
		return this.bodyRateGrace;
	}

	public long minResponseRate() {
		return this.minResponseRate;
	}

	public int maxConnections() {
		return this.maxConnections;
	}

	public Path tmpPath() {
		return this.tmpPath;
	}

	public DigestAlgorithm digest() {
		return this.digest;
	}

	public String realIpHeader() {
		return this.realIpHeader;
	}

	public List<String> trustedProxies() {
		return this.trustedProxies;
	}

	public int maxResponseBufferBytes() {
		return this.maxResponseBufferBytes;
	}

	public long diskBudgetBytes() {
		return this.diskBudgetBytes;
	}

	/**
	 * Where uploads are decoded and written, or {@code null} for the event loop itself.
	 */
	public java.util.concurrent.Executor diskWriteExecutor() {
		return this.diskWriteExecutor;
	}

	/**
	 * Where temp files are created, or {@code null} for the server's own threads (one per
	 * two event loops, started on demand).
	 */
	public java.util.concurrent.Executor fileOpenExecutor() {
		return this.fileOpenExecutor;
	}

	public Builder toBuilder() {
		Builder b = new Builder();
		b.eventLoops = this.eventLoops;
		b.readBufferBytes = this.readBufferBytes;
		b.headLimits = this.headLimits;
		b.queryLimits = this.queryLimits;
		b.formLimits = this.formLimits;
		b.multipartLimits = this.multipartLimits;
		b.maxFileBytes = this.maxFileBytes;
		b.maxRequestBytes = this.maxRequestBytes;
		b.timeout = this.timeout;
		b.keepAliveTimeout = this.keepAliveTimeout;
		b.minBodyRate = this.minBodyRate;
		b.bodyRateGrace = this.bodyRateGrace;
		b.minResponseRate = this.minResponseRate;
		b.maxConnections = this.maxConnections;
		b.tmpPath = this.tmpPath;
		b.digest = this.digest;
		b.realIpHeader = this.realIpHeader;
		b.trustedProxies = this.trustedProxies;
		b.maxResponseBufferBytes = this.maxResponseBufferBytes;
		b.diskBudgetBytes = this.diskBudgetBytes;
		b.diskWriteExecutor = this.diskWriteExecutor;
		b.fileOpenExecutor = this.fileOpenExecutor;
		return b;
	}

	/** Builder of {@link ServerOptions}; every setting starts at its default. */
	public static final class Builder {

		private int eventLoops = Runtime.getRuntime().availableProcessors();

		private int readBufferBytes = 256 * 1024;

		private HeadLimits headLimits = HeadLimits.DEFAULTS;

		private FormLimits queryLimits = FormLimits.QUERY_DEFAULTS;

		private FormLimits formLimits = FormLimits.BODY_DEFAULTS;

		private MultipartLimits multipartLimits = MultipartLimits.DEFAULTS;

		private long maxFileBytes = -1;

		private long maxRequestBytes = -1;

		private Duration timeout = Duration.ofSeconds(60);

		private Duration keepAliveTimeout = Duration.ofSeconds(60);

		private long minBodyRate = 240;

		private Duration bodyRateGrace;

		private long minResponseRate = 240;

		private int maxConnections;

		private Path tmpPath = Path.of(System.getProperty("java.io.tmpdir"), "evhttp-uploads");

		private DigestAlgorithm digest = DigestAlgorithm.NONE;

		private String realIpHeader;

		private List<String> trustedProxies = List.of("127.0.0.0/8", "::1/128");

		private int maxResponseBufferBytes = 256 * 1024;

		private long diskBudgetBytes = -1;

		private java.util.concurrent.Executor diskWriteExecutor;

		private java.util.concurrent.Executor fileOpenExecutor;

		/**
		 * Creates upload temp files on this executor instead of the server's own threads.
		 * Files are created off the event loops, since a file system may take hundreds of
		 * microseconds per file (or a network round trip) and every connection of the
		 * loop would wait; the upload's body pauses meanwhile. Only a file with more than
		 * 32 KiB already read behind it is created on the loop, at once.
		 */
		public Builder fileOpenExecutor(java.util.concurrent.Executor fileOpenExecutor) {
			this.fileOpenExecutor = fileOpenExecutor;
			return this;
		}

		/**
		 * Decodes uploads and writes them to disk on this executor (one task at a time
		 * per request) instead of the event loop, for disks slower than the network;
		 * {@code null} (the default) writes on the loop.
		 */
		public Builder diskWriteExecutor(java.util.concurrent.Executor diskWriteExecutor) {
			this.diskWriteExecutor = diskWriteExecutor;
			return this;
		}

		private Builder() {
		}

		/**
		 * Most bytes promised to uploads in flight at once, -1 for no budget (507
		 * beyond).
		 */
		public Builder diskBudgetBytes(long diskBudgetBytes) {
			this.diskBudgetBytes = diskBudgetBytes;
			return this;
		}

		public Builder eventLoops(int eventLoops) {
			this.eventLoops = positive(eventLoops, "eventLoops");
			return this;
		}

		public Builder readBufferBytes(int readBufferBytes) {
			if (readBufferBytes < 4096) {
				throw new IllegalArgumentException("readBufferBytes must be at least 4096: " + readBufferBytes);
			}
			this.readBufferBytes = readBufferBytes;
			return this;
		}

		public Builder headLimits(HeadLimits headLimits) {
			this.headLimits = Objects.requireNonNull(headLimits);
			return this;
		}

		public Builder queryLimits(FormLimits queryLimits) {
			this.queryLimits = Objects.requireNonNull(queryLimits);
			return this;
		}

		public Builder formLimits(FormLimits formLimits) {
			this.formLimits = Objects.requireNonNull(formLimits);
			return this;
		}

		public Builder multipartLimits(MultipartLimits multipartLimits) {
			this.multipartLimits = Objects.requireNonNull(multipartLimits);
			return this;
		}

		/** Largest uploaded file, or -1 for no limit. */
		public Builder maxFileBytes(long maxFileBytes) {
			this.maxFileBytes = maxFileBytes;
			return this;
		}

		/** Largest request body, or -1 for no limit. */
		public Builder maxRequestBytes(long maxRequestBytes) {
			this.maxRequestBytes = maxRequestBytes;
			return this;
		}

		public Builder timeout(Duration timeout) {
			this.timeout = nonNegative(timeout, "timeout");
			return this;
		}

		public Builder keepAliveTimeout(Duration keepAliveTimeout) {
			this.keepAliveTimeout = nonNegative(keepAliveTimeout, "keepAliveTimeout");
			return this;
		}

		/**
		 * Slowest average body rate in bytes per second once the grace period is over; 0
		 * = off.
		 */
		public Builder minBodyRate(long minBodyRate) {
			if (minBodyRate < 0) {
				throw new IllegalArgumentException("minBodyRate must not be negative: " + minBodyRate);
			}
			this.minBodyRate = minBodyRate;
			return this;
		}

		public Builder bodyRateGrace(Duration bodyRateGrace) {
			this.bodyRateGrace = nonNegative(bodyRateGrace, "bodyRateGrace");
			return this;
		}

		/**
		 * Slowest average rate in bytes per second at which a client must take a response
		 * that waits for it, once the grace period is over (as Kestrel's
		 * {@code MinResponseDataRate}); 0 = off.
		 */
		public Builder minResponseRate(long minResponseRate) {
			if (minResponseRate < 0) {
				throw new IllegalArgumentException("minResponseRate must not be negative: " + minResponseRate);
			}
			this.minResponseRate = minResponseRate;
			return this;
		}

		/** Most open connections, 0 for no cap. */
		public Builder maxConnections(int maxConnections) {
			if (maxConnections < 0) {
				throw new IllegalArgumentException("maxConnections must not be negative: " + maxConnections);
			}
			this.maxConnections = maxConnections;
			return this;
		}

		public Builder tmpPath(Path tmpPath) {
			this.tmpPath = Objects.requireNonNull(tmpPath);
			return this;
		}

		public Builder digest(DigestAlgorithm digest) {
			this.digest = Objects.requireNonNull(digest);
			return this;
		}

		/**
		 * Header naming the client's address (e.g. {@code X-Real-IP}); null or empty =
		 * off.
		 */
		public Builder realIpHeader(String realIpHeader) {
			this.realIpHeader = (realIpHeader == null || realIpHeader.isBlank()) ? null : realIpHeader;
			return this;
		}

		public Builder trustedProxies(List<String> trustedProxies) {
			ProxyTrust.of(trustedProxies);
			this.trustedProxies = List.copyOf(trustedProxies);
			return this;
		}

		public Builder maxResponseBufferBytes(int maxResponseBufferBytes) {
			this.maxResponseBufferBytes = positive(maxResponseBufferBytes, "maxResponseBufferBytes");
			return this;
		}

		public ServerOptions build() {
			return new ServerOptions(this);
		}

		private static int positive(int value, String name) {
			if (value < 1) {
				throw new IllegalArgumentException(name + " must be positive: " + value);
			}
			return value;
		}

		private static Duration nonNegative(Duration value, String name) {
			if (value == null || value.isNegative()) {
				throw new IllegalArgumentException(name + " must not be negative: " + value);
			}
			return value;
		}

	}

}
