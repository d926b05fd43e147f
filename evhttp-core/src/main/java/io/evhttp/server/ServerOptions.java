package io.evhttp.server;

import io.evhttp.form.FormLimits;
import io.evhttp.http.HeadLimits;
import io.evhttp.multipart.MultipartLimits;
import io.evhttp.upload.DigestAlgorithm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * Every setting of an {@link EvServer}: immutable data in five groups, each a record that
 * checks its own values and refuses nonsense with an {@link IllegalArgumentException}
 * naming the setting (for example
 * {@code limits.maxFileBytes must be -1 (none) or at least 0: -5}). Each group's
 * {@code defaults()} is the one place its defaults are written; the component docs repeat
 * them.
 * <p>
 * Start from {@link #defaults()} or {@link #builder()}; the builder holds one record per
 * group and changes a group through that record's {@code withX} methods:
 *
 * <pre class="code">
 * ServerOptions options = ServerOptions.builder()
 * 	.uploads((u) -&gt; u.withTmpPath(Path.of("/var/tmp/up")))
 * 	.limits((l) -&gt; l.withMaxFileBytes(100 * 1024 * 1024))
 * 	.build();
 * </pre>
 *
 * @param network event loops, buffers and the connection cap
 * @param timeouts timeouts and minimum data rates
 * @param limits caps on what a request may send
 * @param uploads where and how uploads are written
 * @param proxies which peers may name the client's address
 */
public record ServerOptions(Network network, Timeouts timeouts, Limits limits, Uploads uploads, Proxies proxies) {

	public ServerOptions {
		Objects.requireNonNull(network, "network");
		Objects.requireNonNull(timeouts, "timeouts");
		Objects.requireNonNull(limits, "limits");
		Objects.requireNonNull(uploads, "uploads");
		Objects.requireNonNull(proxies, "proxies");
	}

	/** Every setting at its default. */
	public static ServerOptions defaults() {
		return new ServerOptions(Network.defaults(), Timeouts.defaults(), Limits.defaults(), Uploads.defaults(),
				Proxies.defaults());
	}

	/** A builder starting from {@link #defaults()}. */
	public static Builder builder() {
		return new Builder(defaults());
	}

	/** A builder starting from these options. */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * Event loops, buffers and the connection cap.
	 *
	 * @param eventLoops selector threads; default: available processors
	 * @param readBufferBytes direct read buffer of each loop, at least 4096, or
	 * {@link #AUTO_READ_BUFFER} (the default) for the size {@link #readBufferSize()}
	 * chooses
	 * @param maxConnections open connections, accepting pauses at the cap; default 0
	 * (none)
	 * @param maxResponseBufferBytes response bytes queued before {@code write} reports
	 * backpressure; default 256 KiB
	 */
	public record Network(int eventLoops, int readBufferBytes, int maxConnections, int maxResponseBufferBytes) {

		/** Smallest {@code readBufferBytes}. */
		public static final int MIN_READ_BUFFER_BYTES = 4096;

		/** {@code readBufferBytes} that lets {@link #readBufferSize()} choose. */
		public static final int AUTO_READ_BUFFER = 0;

		private static final long AUTO_MIN = 1024 * 1024;

		private static final long AUTO_MAX = 4 * 1024 * 1024;

		public Network {
			atLeast(1, eventLoops, "network.eventLoops");
			if (readBufferBytes != AUTO_READ_BUFFER) {
				atLeast(MIN_READ_BUFFER_BYTES, readBufferBytes, "network.readBufferBytes");
			}
			atLeast(0, maxConnections, "network.maxConnections");
			atLeast(1, maxResponseBufferBytes, "network.maxResponseBufferBytes");
		}

		public static Network defaults() {
			return new Network(Runtime.getRuntime().availableProcessors(), AUTO_READ_BUFFER, 0, 256 * 1024);
		}

		/**
		 * The read buffer each loop allocates: {@code readBufferBytes}, or when that is
		 * {@link #AUTO_READ_BUFFER}, 4 MiB, lowered so that the loops' buffers together
		 * take at most an eighth of the heap's limit (by default also the limit of direct
		 * memory), but not below 1 MiB.
		 * <p>
		 * Bigger reads mean fewer reads, selects and file writes per GiB: one connection
		 * uploading 1 GiB went up to twice as fast with 4 MiB reads as with 1 MiB, on
		 * less CPU per GiB.
		 * @return bytes
		 */
		public int readBufferSize() {
			return (this.readBufferBytes != AUTO_READ_BUFFER) ? this.readBufferBytes
					: autoReadBufferBytes(this.eventLoops, Runtime.getRuntime().maxMemory());
		}

		/**
		 * The automatic size for {@code loops} loops under a heap limit, in whole 64 KiB.
		 */
		static int autoReadBufferBytes(int loops, long maxMemory) {
			long share = maxMemory / 8 / loops;
			return (int) (Math.max(AUTO_MIN, Math.min(AUTO_MAX, share)) & ~0xFFFFL);
		}

		public Network withEventLoops(int eventLoops) {
			return new Network(eventLoops, this.readBufferBytes, this.maxConnections, this.maxResponseBufferBytes);
		}

		public Network withReadBufferBytes(int readBufferBytes) {
			return new Network(this.eventLoops, readBufferBytes, this.maxConnections, this.maxResponseBufferBytes);
		}

		public Network withMaxConnections(int maxConnections) {
			return new Network(this.eventLoops, this.readBufferBytes, maxConnections, this.maxResponseBufferBytes);
		}

		public Network withMaxResponseBufferBytes(int maxResponseBufferBytes) {
			return new Network(this.eventLoops, this.readBufferBytes, this.maxConnections, maxResponseBufferBytes);
		}

	}

	/**
	 * Timeouts and minimum data rates; a zero duration or rate turns its check off.
	 *
	 * @param timeout wait for the next bytes of a request, and for its whole head (408);
	 * default 60 s
	 * @param keepAliveTimeout idle time between requests before closing; default 60 s
	 * @param minBodyRate slowest average body rate in bytes per second after the grace
	 * period (408); default 240
	 * @param bodyRateGrace time before the body rate and the response rate are checked,
	 * or {@code null} (the default) for {@code timeout}; see
	 * {@link #bodyRateGraceOrTimeout()}
	 * @param minResponseRate slowest average rate in bytes per second at which a client
	 * must take a response that waits for it, after the grace period (connection closed;
	 * as Kestrel's {@code MinResponseDataRate}); default 240
	 */
	public record Timeouts(Duration timeout, Duration keepAliveTimeout, long minBodyRate, Duration bodyRateGrace,
			long minResponseRate) {

		public Timeouts {
			notNegative(timeout, "timeouts.timeout");
			notNegative(keepAliveTimeout, "timeouts.keepAliveTimeout");
			atLeast(0, minBodyRate, "timeouts.minBodyRate");
			if (bodyRateGrace != null) {
				notNegative(bodyRateGrace, "timeouts.bodyRateGrace");
			}
			atLeast(0, minResponseRate, "timeouts.minResponseRate");
		}

		public static Timeouts defaults() {
			return new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(60), 240, null, 240);
		}

		/**
		 * The grace period in force: {@code bodyRateGrace}, or the timeout when unset.
		 */
		public Duration bodyRateGraceOrTimeout() {
			return (this.bodyRateGrace != null) ? this.bodyRateGrace : this.timeout;
		}

		public Timeouts withTimeout(Duration timeout) {
			return new Timeouts(timeout, this.keepAliveTimeout, this.minBodyRate, this.bodyRateGrace,
					this.minResponseRate);
		}

		public Timeouts withKeepAliveTimeout(Duration keepAliveTimeout) {
			return new Timeouts(this.timeout, keepAliveTimeout, this.minBodyRate, this.bodyRateGrace,
					this.minResponseRate);
		}

		public Timeouts withMinBodyRate(long minBodyRate) {
			return new Timeouts(this.timeout, this.keepAliveTimeout, minBodyRate, this.bodyRateGrace,
					this.minResponseRate);
		}

		public Timeouts withBodyRateGrace(Duration bodyRateGrace) {
			return new Timeouts(this.timeout, this.keepAliveTimeout, this.minBodyRate, bodyRateGrace,
					this.minResponseRate);
		}

		public Timeouts withMinResponseRate(long minResponseRate) {
			return new Timeouts(this.timeout, this.keepAliveTimeout, this.minBodyRate, this.bodyRateGrace,
					minResponseRate);
		}

	}

	/**
	 * Caps on what a request may send, counted as bytes arrive.
	 *
	 * @param head request line (414) and header section (431); default
	 * {@link HeadLimits#DEFAULTS}
	 * @param query query names and values (414); default
	 * {@link FormLimits#QUERY_DEFAULTS}
	 * @param form form fields of a body (413); default {@link FormLimits#BODY_DEFAULTS}
	 * @param multipart part headers, part count (413), preamble before the first
	 * delimiter (400); default {@link MultipartLimits#DEFAULTS}
	 * @param maxFileBytes one uploaded file (413), -1 for none; default -1
	 * @param maxRequestBytes one request body (413), -1 for none; default -1
	 */
	public record Limits(HeadLimits head, FormLimits query, FormLimits form, MultipartLimits multipart,
			long maxFileBytes, long maxRequestBytes) {

		public Limits {
			Objects.requireNonNull(head, "limits.head");
			Objects.requireNonNull(query, "limits.query");
			Objects.requireNonNull(form, "limits.form");
			Objects.requireNonNull(multipart, "limits.multipart");
			noneOrNotNegative(maxFileBytes, "limits.maxFileBytes");
			noneOrNotNegative(maxRequestBytes, "limits.maxRequestBytes");
		}

		public static Limits defaults() {
			return new Limits(HeadLimits.DEFAULTS, FormLimits.QUERY_DEFAULTS, FormLimits.BODY_DEFAULTS,
					MultipartLimits.DEFAULTS, -1, -1);
		}

		public Limits withHead(HeadLimits head) {
			return new Limits(head, this.query, this.form, this.multipart, this.maxFileBytes, this.maxRequestBytes);
		}

		public Limits withQuery(FormLimits query) {
			return new Limits(this.head, query, this.form, this.multipart, this.maxFileBytes, this.maxRequestBytes);
		}

		public Limits withForm(FormLimits form) {
			return new Limits(this.head, this.query, form, this.multipart, this.maxFileBytes, this.maxRequestBytes);
		}

		public Limits withMultipart(MultipartLimits multipart) {
			return new Limits(this.head, this.query, this.form, multipart, this.maxFileBytes, this.maxRequestBytes);
		}

		public Limits withMaxFileBytes(long maxFileBytes) {
			return new Limits(this.head, this.query, this.form, this.multipart, maxFileBytes, this.maxRequestBytes);
		}

		public Limits withMaxRequestBytes(long maxRequestBytes) {
			return new Limits(this.head, this.query, this.form, this.multipart, this.maxFileBytes, maxRequestBytes);
		}

	}

	/**
	 * Where and how uploads are written.
	 *
	 * @param tmpPath where uploads are written; default
	 * {@code java.io.tmpdir}/evhttp-uploads
	 * @param digest digest computed over every file as it arrives; default
	 * {@link DigestAlgorithm#NONE}
	 * @param diskBudgetBytes bytes promised to uploads in flight, -1 for no budget (free
	 * space is checked either way; 507 beyond); default -1
	 * @param diskWriteExecutor where uploads are written (one task at a time per file,
	 * through {@link io.evhttp.upload.OffloadedStore}), for disks slower than the
	 * network; {@code null} (the default) writes on the event loop
	 * @param fileOpenExecutor where a store whose creation may block
	 * ({@link io.evhttp.upload.UploadStore#createMayBlock}) creates files, or
	 * {@code null} (the default) for the server's own threads (one per two event loops,
	 * started on demand); the upload's body pauses meanwhile. The local and S3 stores
	 * create on the loop, as does any store for a file with more than 32 KiB already read
	 * behind it.
	 */
	public record Uploads(Path tmpPath, DigestAlgorithm digest, long diskBudgetBytes, Executor diskWriteExecutor,
			Executor fileOpenExecutor) {

		public Uploads {
			Objects.requireNonNull(tmpPath, "uploads.tmpPath");
			Objects.requireNonNull(digest, "uploads.digest");
			noneOrNotNegative(diskBudgetBytes, "uploads.diskBudgetBytes");
		}

		public static Uploads defaults() {
			return new Uploads(Path.of(System.getProperty("java.io.tmpdir"), "evhttp-uploads"), DigestAlgorithm.NONE,
					-1, null, null);
		}

		public Uploads withTmpPath(Path tmpPath) {
			return new Uploads(tmpPath, this.digest, this.diskBudgetBytes, this.diskWriteExecutor,
					this.fileOpenExecutor);
		}

		public Uploads withDigest(DigestAlgorithm digest) {
			return new Uploads(this.tmpPath, digest, this.diskBudgetBytes, this.diskWriteExecutor,
					this.fileOpenExecutor);
		}

		public Uploads withDiskBudgetBytes(long diskBudgetBytes) {
			return new Uploads(this.tmpPath, this.digest, diskBudgetBytes, this.diskWriteExecutor,
					this.fileOpenExecutor);
		}

		public Uploads withDiskWriteExecutor(Executor diskWriteExecutor) {
			return new Uploads(this.tmpPath, this.digest, this.diskBudgetBytes, diskWriteExecutor,
					this.fileOpenExecutor);
		}

		public Uploads withFileOpenExecutor(Executor fileOpenExecutor) {
			return new Uploads(this.tmpPath, this.digest, this.diskBudgetBytes, this.diskWriteExecutor,
					fileOpenExecutor);
		}

	}

	/**
	 * Which peers may name the client's address in a header.
	 *
	 * @param realIpHeader header holding the client's address (e.g. {@code X-Real-IP}),
	 * honoured from trusted proxies only; {@code null} (the default) for none, and a
	 * blank name is read as none
	 * @param trustedProxies CIDRs ({@code 10.0.0.0/8}, {@code ::1/128}; a bare address is
	 * a /32 or /128) whose {@code realIpHeader} is believed; default loopback
	 */
	public record Proxies(String realIpHeader, List<String> trustedProxies) {

		public Proxies {
			realIpHeader = (realIpHeader == null || realIpHeader.isBlank()) ? null : realIpHeader;
			Objects.requireNonNull(trustedProxies, "proxies.trustedProxies");
			trustedProxies = List.copyOf(trustedProxies);
			try {
				ProxyTrust.of(trustedProxies);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("proxies.trustedProxies must be CIDRs: " + ex.getMessage());
			}
		}

		public static Proxies defaults() {
			return new Proxies(null, List.of("127.0.0.0/8", "::1/128"));
		}

		public Proxies withRealIpHeader(String realIpHeader) {
			return new Proxies(realIpHeader, this.trustedProxies);
		}

		public Proxies withTrustedProxies(List<String> trustedProxies) {
			return new Proxies(this.realIpHeader, trustedProxies);
		}

	}

	/**
	 * Builder of {@link ServerOptions}: holds one record per group, each at its default
	 * until changed. A group is changed through its record's {@code withX} methods, so
	 * every value is checked the moment it is set and the setting is written only in its
	 * record.
	 */
	public static final class Builder {

		private Network network;

		private Timeouts timeouts;

		private Limits limits;

		private Uploads uploads;

		private Proxies proxies;

		private Builder(ServerOptions from) {
			this.network = from.network;
			this.timeouts = from.timeouts;
			this.limits = from.limits;
			this.uploads = from.uploads;
			this.proxies = from.proxies;
		}

		public Builder network(UnaryOperator<Network> change) {
			this.network = Objects.requireNonNull(change.apply(this.network), "network");
			return this;
		}

		public Builder timeouts(UnaryOperator<Timeouts> change) {
			this.timeouts = Objects.requireNonNull(change.apply(this.timeouts), "timeouts");
			return this;
		}

		public Builder limits(UnaryOperator<Limits> change) {
			this.limits = Objects.requireNonNull(change.apply(this.limits), "limits");
			return this;
		}

		public Builder uploads(UnaryOperator<Uploads> change) {
			this.uploads = Objects.requireNonNull(change.apply(this.uploads), "uploads");
			return this;
		}

		public Builder proxies(UnaryOperator<Proxies> change) {
			this.proxies = Objects.requireNonNull(change.apply(this.proxies), "proxies");
			return this;
		}

		public ServerOptions build() {
			return new ServerOptions(this.network, this.timeouts, this.limits, this.uploads, this.proxies);
		}

	}

	private static void atLeast(long min, long value, String name) {
		if (value < min) {
			String rule = (min == 0) ? "not be negative" : (min == 1) ? "be positive" : "be at least " + min;
			throw new IllegalArgumentException(name + " must " + rule + ": " + value);
		}
	}

	private static void noneOrNotNegative(long value, String name) {
		if (value < -1) {
			throw new IllegalArgumentException(name + " must be -1 (none) or at least 0: " + value);
		}
	}

	private static void notNegative(Duration value, String name) {
		if (value == null || value.isNegative()) {
			throw new IllegalArgumentException(name + " must be a duration of 0 or more: " + value);
		}
	}

}
