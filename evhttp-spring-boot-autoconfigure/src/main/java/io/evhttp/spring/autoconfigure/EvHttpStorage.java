package io.evhttp.spring.autoconfigure;

import java.net.URI;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * Where uploads are stored while they arrive: files in tmp-path, or objects in S3.
 */
public class EvHttpStorage {

	/**
	 * Where uploads go, for handlers that name no store of their own.
	 */
	private Type type = Type.LOCAL;

	private final S3 s3 = new S3();

	public Type getType() {
		return this.type;
	}

	public void setType(Type type) {
		this.type = type;
	}

	public S3 getS3() {
		return this.s3;
	}

	/**
	 * Kinds of store.
	 */
	public enum Type {

		/**
		 * Files in tmp-path.
		 */
		LOCAL,

		/**
		 * Objects in an S3 bucket (needs evhttp-s3 on the classpath), streamed while they
		 * arrive; parts are spooled in tmp-path.
		 */
		S3

	}

	/**
	 * The S3 store, with type s3. Credentials come from the AWS SDK's default provider
	 * chain.
	 */
	public static class S3 {

		/**
		 * Bucket uploads are stored in; it must exist.
		 */
		private String bucket;

		/**
		 * Start of every upload's key, such as "uploads/"; crashed servers' leftovers are
		 * swept under it only.
		 */
		private String prefix = "";

		/**
		 * Endpoint of an S3-compatible service (MinIO, Ceph RGW, R2, S3Proxy); AWS S3
		 * when unset.
		 */
		private URI endpoint;

		/**
		 * Region requests are signed for; the AWS SDK's default region provider chain
		 * when unset.
		 */
		private String region;

		/**
		 * Whether buckets are addressed in the path (endpoint/bucket/key) rather than in
		 * the host name, as most S3-compatible services need.
		 */
		private boolean pathStyle;

		/**
		 * Size of each part of a multipart upload, at least 5MB; larger for files that
		 * would not fit in 10,000 parts.
		 */
		private DataSize partSize = DataSize.ofMegabytes(8);

		/**
		 * Parts of one file spooled and waiting for S3 before its request stops being
		 * read.
		 */
		private int maxPartsInFlight = 8;

		/**
		 * Requests to S3 at once across the server, and size of the HTTP connection pool
		 * when the S3 client is built here.
		 */
		private int maxConcurrentRequests = 64;

		/**
		 * Age beyond which a multipart upload under the prefix is taken for a crashed
		 * server's and aborted; longer than any upload lasts.
		 */
		private Duration sweepAge = Duration.ofDays(1);

		/**
		 * Time between two sweeps for leftovers; 0 sweeps only at start.
		 */
		private Duration sweepInterval = Duration.ofHours(1);

		public String getBucket() {
			return this.bucket;
		}

		public void setBucket(String bucket) {
			this.bucket = bucket;
		}

		public String getPrefix() {
			return this.prefix;
		}

		public void setPrefix(String prefix) {
			this.prefix = prefix;
		}

		public URI getEndpoint() {
			return this.endpoint;
		}

		public void setEndpoint(URI endpoint) {
			this.endpoint = endpoint;
		}

		public String getRegion() {
			return this.region;
		}

		public void setRegion(String region) {
			this.region = region;
		}

		public boolean isPathStyle() {
			return this.pathStyle;
		}

		public void setPathStyle(boolean pathStyle) {
			this.pathStyle = pathStyle;
		}

		public DataSize getPartSize() {
			return this.partSize;
		}

		public void setPartSize(DataSize partSize) {
			this.partSize = partSize;
		}

		public int getMaxPartsInFlight() {
			return this.maxPartsInFlight;
		}

		public void setMaxPartsInFlight(int maxPartsInFlight) {
			this.maxPartsInFlight = maxPartsInFlight;
		}

		public int getMaxConcurrentRequests() {
			return this.maxConcurrentRequests;
		}

		public void setMaxConcurrentRequests(int maxConcurrentRequests) {
			this.maxConcurrentRequests = maxConcurrentRequests;
		}

		public Duration getSweepAge() {
			return this.sweepAge;
		}

		public void setSweepAge(Duration sweepAge) {
			this.sweepAge = sweepAge;
		}

		public Duration getSweepInterval() {
			return this.sweepInterval;
		}

		public void setSweepInterval(Duration sweepInterval) {
			this.sweepInterval = sweepInterval;
		}

	}

}
