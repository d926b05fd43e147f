package io.evhttp.s3;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What must not stay in the bucket: the multipart uploads and objects of files that ended
 * unkept. Removed as soon as their requests settle; what S3 refuses then (it may be the
 * very outage that failed the upload) is kept here and retried by each {@link #sweep},
 * which also aborts the multipart uploads that crashed servers left under the prefix.
 */
final class S3Leftovers {

	private static final Logger log = Logger.getLogger(S3Leftovers.class.getName());

	/** An object key, with the multipart upload to abort first, if any. */
	private record Leftover(String key, String uploadId) {

	}

	private final S3Calls s3;

	private final String prefix;

	private final Set<Leftover> pending = ConcurrentHashMap.newKeySet();

	S3Leftovers(S3Calls s3, String prefix) {
		this.s3 = s3;
		this.prefix = prefix;
	}

	/**
	 * Once {@code settled} completes: aborts {@code uploadId} when it was created, then
	 * deletes {@code key}.
	 */
	void removeWhenSettled(CompletableFuture<?> settled, String key, CompletableFuture<String> uploadId) {
		settled.thenRun(() -> {
			String id = (uploadId != null && uploadId.isDone() && !uploadId.isCompletedExceptionally())
					? uploadId.join() : null;
			Leftover leftover = new Leftover(key, id);
			this.s3.async(() -> {
				remove(leftover);
				return null;
			}).whenComplete((ok, ex) -> {
				if (ex != null) {
					log.log(Level.FINE, "S3 refused to remove " + key + " now; the sweep retries", ex);
					this.pending.add(leftover);
				}
			});
		});
	}

	/** How many removals wait for a retry. */
	int pending() {
		return this.pending.size();
	}

	/**
	 * Retries the removals S3 refused, and aborts the multipart uploads under the prefix
	 * begun more than {@code maxAge} ago (a crashed server's: no upload of a live one
	 * lasts that long).
	 * @return how many multipart uploads and objects were removed
	 */
	int sweep(Duration maxAge) {
		AtomicInteger removed = new AtomicInteger();
		for (Leftover leftover : this.pending) {
			try {
				remove(leftover);
				this.pending.remove(leftover);
				removed.incrementAndGet();
			}
			catch (IOException ex) {
				log.log(Level.FINE, "S3 refused to remove " + leftover.key() + " again", ex);
			}
		}
		Instant before = Instant.now().minus(maxAge);
		try {
			this.s3.listMultipartUploads(this.prefix, (upload) -> {
				if (upload.initiated() != null && upload.initiated().isBefore(before)) {
					try {
						this.s3.abortMultipartUpload(upload.key(), upload.uploadId());
						removed.incrementAndGet();
					}
					catch (IOException ex) {
						log.log(Level.FINE, "S3 refused to abort " + upload.key(), ex);
					}
				}
			});
		}
		catch (IOException ex) {
			log.log(Level.FINE, "cannot list the multipart uploads under " + this.prefix, ex);
		}
		return removed.get();
	}

	private void remove(Leftover leftover) throws IOException {
		if (leftover.uploadId() != null) {
			this.s3.abortMultipartUpload(leftover.key(), leftover.uploadId());
		}
		this.s3.deleteObject(leftover.key());
	}

}
