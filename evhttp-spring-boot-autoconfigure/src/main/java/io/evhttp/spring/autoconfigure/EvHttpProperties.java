package io.evhttp.spring.autoconfigure;

import io.evhttp.server.TlsOptions;
import io.evhttp.upload.DigestAlgorithm;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the evhttp upload server.
 */
@ConfigurationProperties("evhttp")
public class EvHttpProperties {

	/**
	 * Whether to start the evhttp server.
	 */
	private boolean enabled = true;

	/**
	 * Port of handlers that name none; 0 picks a free port.
	 */
	private int port = 8090;

	/**
	 * Network address to bind; all interfaces when unset.
	 */
	private InetAddress address;

	/**
	 * Directory where uploads are written while they arrive.
	 */
	private Path tmpPath = Path.of(System.getProperty("java.io.tmpdir"), "evhttp-uploads");

	/**
	 * Whether to delete every temp file of this server from tmp-path at shutdown.
	 */
	private boolean cleanupOnDestroy;

	/**
	 * Header carrying the client address, such as X-Real-IP or X-Forwarded-For; empty to
	 * ignore.
	 */
	private String realIpHeader = "";

	/**
	 * Networks (CIDR) whose real-ip-header is believed.
	 */
	private List<String> trustedProxies = new ArrayList<>(List.of("127.0.0.0/8", "::1/128"));

	/**
	 * Longest wait for the rest of a request, and for its whole head; 0 turns it off.
	 */
	private Duration timeout = Duration.ofSeconds(60);

	/**
	 * Idle time after which a keep-alive connection is closed; 0 turns it off.
	 */
	private Duration keepAliveTimeout = Duration.ofSeconds(60);

	/**
	 * Slowest average body rate per second tolerated after the grace period; 0 turns it
	 * off.
	 */
	private DataSize minBodyRate = DataSize.ofBytes(240);

	/**
	 * Time before the body rate and the response rate are checked; the timeout when
	 * unset.
	 */
	private Duration bodyRateGrace;

	/**
	 * Slowest average rate per second at which a client must take a response waiting for
	 * it, after the grace period; 0 turns it off.
	 */
	private DataSize minResponseRate = DataSize.ofBytes(240);

	/**
	 * Number of event-loop threads; the number of processors when unset.
	 */
	private Integer eventLoops;

	/**
	 * Most open connections; accepting pauses at the cap. 0 for no cap.
	 */
	private int maxConnections;

	/**
	 * Digest computed over each file while it arrives.
	 */
	private DigestAlgorithm digest = DigestAlgorithm.NONE;

	/**
	 * Size of each event loop's direct read buffer. When unset, 4MB, lowered so that the
	 * loops' buffers take at most an eighth of the heap's limit, but not below 1MB.
	 */
	private DataSize readBuffer;

	/**
	 * Most bytes promised at once to uploads in flight (their declared lengths); uploads
	 * beyond it get 507. No budget when unset; each upload is still checked against the
	 * free space.
	 */
	private DataSize diskBudget;

	/**
	 * Where uploads are written to disk: on the event loop, or on the application task
	 * executor (for disks slower than the network).
	 */
	private DiskWrite diskWrite = DiskWrite.LOOP;

	@NestedConfigurationProperty
	private final EvHttpLimits limits = new EvHttpLimits();

	@NestedConfigurationProperty
	private final EvHttpStorage storage = new EvHttpStorage();

	@NestedConfigurationProperty
	private final EvHttpResumable resumable = new EvHttpResumable();

	private final Shutdown shutdown = new Shutdown();

	private final Events events = new Events();

	private final AccessLog accessLog = new AccessLog();

	private final Health health = new Health();

	private final Management management = new Management();

	private final ProblemDetails problemDetails = new ProblemDetails();

	private final Ssl ssl = new Ssl();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("must be from 0 to 65535 (0 picks a free port), not " + port);
		}
		this.port = port;
	}

	public InetAddress getAddress() {
		return this.address;
	}

	public void setAddress(InetAddress address) {
		this.address = address;
	}

	public Path getTmpPath() {
		return this.tmpPath;
	}

	public void setTmpPath(Path tmpPath) {
		this.tmpPath = tmpPath;
	}

	public boolean isCleanupOnDestroy() {
		return this.cleanupOnDestroy;
	}

	public void setCleanupOnDestroy(boolean cleanupOnDestroy) {
		this.cleanupOnDestroy = cleanupOnDestroy;
	}

	public String getRealIpHeader() {
		return this.realIpHeader;
	}

	public void setRealIpHeader(String realIpHeader) {
		this.realIpHeader = realIpHeader;
	}

	public List<String> getTrustedProxies() {
		return this.trustedProxies;
	}

	public void setTrustedProxies(List<String> trustedProxies) {
		this.trustedProxies = trustedProxies;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public Duration getKeepAliveTimeout() {
		return this.keepAliveTimeout;
	}

	public void setKeepAliveTimeout(Duration keepAliveTimeout) {
		this.keepAliveTimeout = keepAliveTimeout;
	}

	public DataSize getMinBodyRate() {
		return this.minBodyRate;
	}

	public void setMinBodyRate(DataSize minBodyRate) {
		this.minBodyRate = minBodyRate;
	}

	public Duration getBodyRateGrace() {
		return this.bodyRateGrace;
	}

	public void setBodyRateGrace(Duration bodyRateGrace) {
		this.bodyRateGrace = bodyRateGrace;
	}

	public DataSize getMinResponseRate() {
		return this.minResponseRate;
	}

	public void setMinResponseRate(DataSize minResponseRate) {
		this.minResponseRate = minResponseRate;
	}

	public Integer getEventLoops() {
		return this.eventLoops;
	}

	public void setEventLoops(Integer eventLoops) {
		this.eventLoops = eventLoops;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	public DigestAlgorithm getDigest() {
		return this.digest;
	}

	public void setDigest(DigestAlgorithm digest) {
		this.digest = digest;
	}

	public DataSize getReadBuffer() {
		return this.readBuffer;
	}

	public void setReadBuffer(DataSize readBuffer) {
		this.readBuffer = readBuffer;
	}

	public DataSize getDiskBudget() {
		return this.diskBudget;
	}

	public void setDiskBudget(DataSize diskBudget) {
		this.diskBudget = diskBudget;
	}

	public DiskWrite getDiskWrite() {
		return this.diskWrite;
	}

	public void setDiskWrite(DiskWrite diskWrite) {
		this.diskWrite = diskWrite;
	}

	public EvHttpLimits getLimits() {
		return this.limits;
	}

	public EvHttpStorage getStorage() {
		return this.storage;
	}

	public EvHttpResumable getResumable() {
		return this.resumable;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Events getEvents() {
		return this.events;
	}

	public ProblemDetails getProblemDetails() {
		return this.problemDetails;
	}

	public Management getManagement() {
		return this.management;
	}

	public Health getHealth() {
		return this.health;
	}

	public AccessLog getAccessLog() {
		return this.accessLog;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	/**
	 * Where uploads are written.
	 */
	public enum DiskWrite {

		/**
		 * On the event loop, straight from its read buffer: fastest while the disk keeps
		 * up.
		 */
		LOOP,

		/**
		 * On the application task executor, from a copy, one task at a time per upload;
		 * reading pauses while more than 1 MiB waits for the disk.
		 */
		EXECUTOR

	}

	/**
	 * TLS on the listeners, from a {@code spring.ssl.bundle.*} bundle.
	 */
	public static class Ssl {

		/**
		 * Whether the listeners use TLS when a bundle is named.
		 */
		private boolean enabled = true;

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.jks.* or spring.ssl.bundle.pem.*)
		 * holding the server's key and certificate, and the certificates client
		 * certificates are checked against. With reload-on-update, new connections use
		 * the reloaded certificate.
		 */
		private String bundle;

		/**
		 * Whether clients are asked for a certificate: none, want or need.
		 */
		private TlsOptions.ClientAuth clientAuth = TlsOptions.ClientAuth.NONE;

		/**
		 * SSL bundles chosen by the server name a client asks for (SNI), on every TLS
		 * listener; clients asking for no name or another one get the listener's bundle,
		 * whose protocols and ciphers apply to all. Each reloads as the listener's does.
		 */
		private List<ServerNameBundle> serverNameBundles = new ArrayList<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getBundle() {
			return this.bundle;
		}

		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

		public TlsOptions.ClientAuth getClientAuth() {
			return this.clientAuth;
		}

		public void setClientAuth(TlsOptions.ClientAuth clientAuth) {
			this.clientAuth = clientAuth;
		}

		public List<ServerNameBundle> getServerNameBundles() {
			return this.serverNameBundles;
		}

		public void setServerNameBundles(List<ServerNameBundle> serverNameBundles) {
			this.serverNameBundles = serverNameBundles;
		}

		/**
		 * An SSL bundle served to clients asking for a server name (SNI).
		 */
		public static class ServerNameBundle {

			/**
			 * Host name clients ask for, or a wildcard of one label such as
			 * *.example.com; case does not matter.
			 */
			private String serverName;

			/**
			 * Name of the SSL bundle holding the certificate for that name.
			 */
			private String bundle;

			public String getServerName() {
				return this.serverName;
			}

			public void setServerName(String serverName) {
				this.serverName = serverName;
			}

			public String getBundle() {
				return this.bundle;
			}

			public void setBundle(String bundle) {
				this.bundle = bundle;
			}

		}

	}

	/**
	 * Graceful shutdown.
	 */
	public static class Shutdown {

		/**
		 * Time requests in flight get to finish once the server stops.
		 */
		private Duration gracePeriod = Duration.ofSeconds(30);

		public Duration getGracePeriod() {
			return this.gracePeriod;
		}

		public void setGracePeriod(Duration gracePeriod) {
			this.gracePeriod = gracePeriod;
		}

	}

	/**
	 * Upload events published to the application context.
	 */
	public static class Events {

		/**
		 * Bytes of a file between two progress events.
		 */
		private DataSize progressBytes = DataSize.ofMegabytes(1);

		/**
		 * Least time between two progress events of one file.
		 */
		private Duration progressInterval = Duration.ofMillis(200);

		public DataSize getProgressBytes() {
			return this.progressBytes;
		}

		public void setProgressBytes(DataSize progressBytes) {
			this.progressBytes = progressBytes;
		}

		public Duration getProgressInterval() {
			return this.progressInterval;
		}

		public void setProgressInterval(Duration progressInterval) {
			this.progressInterval = progressInterval;
		}

	}

	/**
	 * The access log: one line per request to the {@code io.evhttp.access} logger.
	 */
	public static class AccessLog {

		/**
		 * Whether to log each request (common log format, then bytes received and
		 * milliseconds).
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * The {@code evhttp} health indicator.
	 */
	public static class Health {

		/**
		 * Free space of tmp-path under which the server reports DOWN (uploads would soon
		 * be refused with 507).
		 */
		private DataSize freeSpaceThreshold = DataSize.ofMegabytes(10);

		public DataSize getFreeSpaceThreshold() {
			return this.freeSpaceThreshold;
		}

		public void setFreeSpaceThreshold(DataSize freeSpaceThreshold) {
			this.freeSpaceThreshold = freeSpaceThreshold;
		}

	}

	/**
	 * Actuator on evhttp's port when the application has no other web server.
	 */
	public static class Management {

		/**
		 * Whether to serve the exposed Actuator web endpoints under
		 * management.endpoints.web.base-path, on management.server.port if set, else on
		 * evhttp.port. Only when evhttp is the application's only server.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Error answers as RFC 9457 problem details.
	 */
	public static class ProblemDetails {

		/**
		 * Whether refusals and handler failures of routed requests are answered with an
		 * application/problem+json document (status, title, detail, the limit that was
		 * crossed) instead of a text line.
		 */
		private boolean enabled;

		/**
		 * Prefix of the type URI of a refusal that names the limit it crossed: the type
		 * is the prefix followed by the code (for "https://example.com/problems/":
		 * "https://example.com/problems/file-too-large"). Unset: "about:blank", the
		 * status says it all.
		 */
		private String typePrefix;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getTypePrefix() {
			return this.typePrefix;
		}

		public void setTypePrefix(String typePrefix) {
			this.typePrefix = typePrefix;
		}

	}

}
