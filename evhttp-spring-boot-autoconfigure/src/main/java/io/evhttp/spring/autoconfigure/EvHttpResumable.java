package io.evhttp.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * The resumable-upload endpoint (tus 1.0 and the IETF draft), with evhttp-resumable on
 * the classpath.
 */
public class EvHttpResumable {

	/**
	 * Whether to serve resumable uploads.
	 */
	private boolean enabled;

	/**
	 * Port of the endpoint; evhttp.port when unset.
	 */
	private Integer port;

	/**
	 * Path prefix of the endpoint, ending with "/": uploads are created there and live
	 * under it.
	 */
	private String path = "/resumable/";

	/**
	 * Absolute URL uploads are announced under, ending with "/" (behind a proxy); the
	 * request's Host and path when unset.
	 */
	private String baseUrl;

	/**
	 * Largest upload (413 beyond); none when unset.
	 */
	private DataSize maxSize;

	/**
	 * Lifetime of an upload from its creation, complete or not; then it is swept.
	 */
	private Duration expiry = Duration.ofHours(24);

	/**
	 * Longest wait for another request writing the same upload to let go (423 after).
	 */
	private Duration leaseWait = Duration.ofSeconds(3);

	/**
	 * Time between two sweeps of expired uploads, while the server runs.
	 */
	private Duration sweepInterval = Duration.ofMinutes(1);

	/**
	 * Directory of the local store (state and bytes of each upload), with
	 * evhttp.storage.type=local.
	 */
	private Path storagePath = Path.of(System.getProperty("java.io.tmpdir"), "evhttp-resumable");

	private final S3 s3 = new S3();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Integer getPort() {
		return this.port;
	}

	public void setPort(Integer port) {
		this.port = port;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public String getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public DataSize getMaxSize() {
		return this.maxSize;
	}

	public void setMaxSize(DataSize maxSize) {
		this.maxSize = maxSize;
	}

	public Duration getExpiry() {
		return this.expiry;
	}

	public void setExpiry(Duration expiry) {
		this.expiry = expiry;
	}

	public Duration getLeaseWait() {
		return this.leaseWait;
	}

	public void setLeaseWait(Duration leaseWait) {
		this.leaseWait = leaseWait;
	}

	public Duration getSweepInterval() {
		return this.sweepInterval;
	}

	public void setSweepInterval(Duration sweepInterval) {
		this.sweepInterval = sweepInterval;
	}

	public Path getStoragePath() {
		return this.storagePath;
	}

	public void setStoragePath(Path storagePath) {
		this.storagePath = storagePath;
	}

	public S3 getS3() {
		return this.s3;
	}

	/**
	 * The S3 store of resumable uploads, with evhttp.storage.type=s3: in the bucket of
	 * evhttp.storage.s3, which any node sharing it serves.
	 */
	public static class S3 {

		/**
		 * Start of every resumable upload's key; keep it apart from
		 * evhttp.storage.s3.prefix, whose sweep would abort these uploads' multipart
		 * uploads.
		 */
		private String prefix = "resumable/";

		/**
		 * How long a node's hold on an upload lasts without a heartbeat: a dead node's
		 * runs out after this.
		 */
		private Duration leaseDuration = Duration.ofSeconds(10);

		/**
		 * How often a holder looks for a request to let go, and a requester looks again.
		 */
		private Duration pollInterval = Duration.ofMillis(250);

		public String getPrefix() {
			return this.prefix;
		}

		public void setPrefix(String prefix) {
			this.prefix = prefix;
		}

		public Duration getLeaseDuration() {
			return this.leaseDuration;
		}

		public void setLeaseDuration(Duration leaseDuration) {
			this.leaseDuration = leaseDuration;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

	}

}
