package io.evhttp.s3;

import io.evhttp.upload.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The S3 requests the store makes, each a blocking SDK call on the store's own threads:
 * as many threads as requests may be in flight across the server, so that bound holds
 * whatever the number of uploads. Failures come back as {@link IOException}s, those a
 * client may retry later (S3 unreachable, throttling, 5xx after the SDK's own retries) as
 * {@link StoreUnavailableException}.
 */
final class S3Calls implements AutoCloseable {

	/** S3's limit for a single copy; larger objects are copied part by part. */
	static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;

	private static final long COPY_PART = 1024L * 1024 * 1024;

	private static final ChecksumAlgorithm CHECKSUM = ChecksumAlgorithm.CRC32_C;

	/** A blocking S3 call. */
	@FunctionalInterface
	interface Call<T> {

		T run() throws IOException;

	}

	private final S3Client client;

	private final String bucket;

	private final Duration retryAfter;

	private final ExecutorService threads;

	S3Calls(S3Client client, String bucket, int threads, Duration retryAfter) {
		this.client = client;
		this.bucket = bucket;
		this.retryAfter = retryAfter;
		AtomicInteger n = new AtomicInteger();
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (r) -> {
					Thread t = new Thread(r, "evhttp-s3-" + n.incrementAndGet());
					t.setDaemon(true);
					return t;
				});
		pool.allowCoreThreadTimeOut(true);
		this.threads = pool;
	}

	String bucket() {
		return this.bucket;
	}

	/** Runs {@code call} on the store's threads. */
	<T> CompletableFuture<T> async(Call<T> call) {
		CompletableFuture<T> result = new CompletableFuture<>();
		try {
			this.threads.execute(() -> {
				try {
					result.complete(call.run());
				}
				catch (IOException | RuntimeException ex) {
					result.completeExceptionally(ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			result.completeExceptionally(new StoreUnavailableException("S3 store closed", this.retryAfter, ex));
		}
		return result;
	}

	String createMultipartUpload(String key, String contentType) throws IOException {
		return sdk(() -> this.client
			.createMultipartUpload(
					(r) -> r.bucket(this.bucket).key(key).contentType(contentType).checksumAlgorithm(CHECKSUM))
			.uploadId());
	}

	CompletedPart uploadPart(String key, String uploadId, int number, Path file, long length) throws IOException {
		UploadPartResponse answer = sdk(() -> this.client.uploadPart((r) -> r.bucket(this.bucket)
			.key(key)
			.uploadId(uploadId)
			.partNumber(number)
			.contentLength(length)
			.checksumAlgorithm(CHECKSUM), RequestBody.fromFile(file)));
		return CompletedPart.builder()
			.partNumber(number)
			.eTag(answer.eTag())
			.checksumCRC32C(answer.checksumCRC32C())
			.build();
	}

	/** Completes from the parts this node uploaded: never from a listing. */
	String completeMultipartUpload(String key, String uploadId, List<CompletedPart> parts) throws IOException {
		return sdk(() -> this.client
			.completeMultipartUpload(
					(r) -> r.bucket(this.bucket).key(key).uploadId(uploadId).multipartUpload((m) -> m.parts(parts)))
			.eTag());
	}

	/** Aborts; an upload S3 no longer knows counts as aborted. */
	void abortMultipartUpload(String key, String uploadId) throws IOException {
		try {
			this.client.abortMultipartUpload((r) -> r.bucket(this.bucket).key(key).uploadId(uploadId));
		}
		catch (S3Exception ex) {
			if (ex.statusCode() != 404) {
				throw translate(ex);
			}
		}
		catch (SdkException ex) {
			throw translate(ex);
		}
	}

	String putObject(String key, String contentType, Path file, long length) throws IOException {
		RequestBody body = (length == 0) ? RequestBody.empty() : RequestBody.fromFile(file);
		return sdk(() -> this.client
			.putObject((r) -> r.bucket(this.bucket)
				.key(key)
				.contentType(contentType)
				.contentLength(length)
				.checksumAlgorithm(CHECKSUM), body)
			.eTag());
	}

	void deleteObject(String key) throws IOException {
		sdk(() -> this.client.deleteObject((r) -> r.bucket(this.bucket).key(key)));
	}

	/**
	 * Copies an object inside the bucket, S3 moving the bytes: one request up to 5 GiB, a
	 * multipart copy beyond.
	 * @return the copy's ETag
	 */
	String copyObject(String from, String to, long size, String contentType) throws IOException {
		if (size <= MAX_SINGLE_COPY) {
			return sdk(() -> this.client.copyObject((
					r) -> r.sourceBucket(this.bucket).sourceKey(from).destinationBucket(this.bucket).destinationKey(to))
				.copyObjectResult()
				.eTag());
		}
		String uploadId = createMultipartUpload(to, contentType);
		try {
			List<CompletedPart> parts = new java.util.ArrayList<>();
			for (long start = 0; start < size; start += COPY_PART) {
				int number = parts.size() + 1;
				String range = "bytes=" + start + "-" + (Math.min(size, start + COPY_PART) - 1);
				String etag = sdk(() -> this.client
					.uploadPartCopy((r) -> r.sourceBucket(this.bucket)
						.sourceKey(from)
						.destinationBucket(this.bucket)
						.destinationKey(to)
						.uploadId(uploadId)
						.partNumber(number)
						.copySourceRange(range))
					.copyPartResult()
					.eTag());
				parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
			}
			return completeMultipartUpload(to, uploadId, parts);
		}
		catch (IOException | RuntimeException ex) {
			try {
				abortMultipartUpload(to, uploadId);
			}
			catch (IOException abortFailed) {
				ex.addSuppressed(abortFailed);
			}
			throw ex;
		}
	}

	/**
	 * Whether the bucket answers, within {@code timeout} whatever the client's own
	 * timeouts and retries: a health check must not hang on an S3 that accepts
	 * connections and never answers.
	 */
	void headBucket(Duration timeout) throws IOException {
		sdk(() -> this.client
			.headBucket((r) -> r.bucket(this.bucket).overrideConfiguration((o) -> o.apiCallTimeout(timeout))));
	}

	/** Every incomplete multipart upload whose key starts with {@code prefix}. */
	void listMultipartUploads(String prefix, Consumer<MultipartUpload> each) throws IOException {
		sdk(() -> {
			this.client.listMultipartUploadsPaginator((r) -> r.bucket(this.bucket).prefix(prefix))
				.uploads()
				.forEach(each);
			return null;
		});
	}

	private <T> T sdk(SdkCall<T> call) throws IOException {
		try {
			return call.run();
		}
		catch (SdkException ex) {
			throw translate(ex);
		}
	}

	/** An SDK failure as the server answers it: 503 when trying later may help. */
	IOException translate(SdkException ex) {
		if (ex instanceof S3Exception s3) {
			int status = s3.statusCode();
			String code = (s3.awsErrorDetails() != null) ? s3.awsErrorDetails().errorCode() : null;
			String message = "S3 answered " + status + ((code != null) ? " " + code : "") + ": " + s3.getMessage();
			if (status >= 500 || status == 429 || "SlowDown".equals(code)) {
				return new StoreUnavailableException(message, this.retryAfter, ex);
			}
			return new IOException(message, ex);
		}
		if (ex instanceof SdkClientException) {
			return new StoreUnavailableException("S3 unreachable: " + ex.getMessage(), this.retryAfter, ex);
		}
		return new IOException("S3 request failed: " + ex.getMessage(), ex);
	}

	/** The cause of a failed stage, as an {@link IOException}. */
	static IOException cause(Throwable failure) {
		Throwable ex = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		return (ex instanceof IOException io) ? io : new IOException(ex);
	}

	@Override
	public void close() {
		this.threads.shutdown();
	}

	/** An SDK call, which throws unchecked {@link SdkException}s. */
	@FunctionalInterface
	private interface SdkCall<T> {

		T run();

	}

}
