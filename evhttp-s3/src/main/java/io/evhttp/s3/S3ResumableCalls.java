package io.evhttp.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The S3 requests of the resumable store, each blocking and each counted by name, so that
 * tests and benchmarks can tell what a {@code HEAD} or a {@code PATCH} costs. Conditional
 * writes come back as {@code null} when S3 refused the condition.
 */
final class S3ResumableCalls {

	private static final ChecksumAlgorithm CHECKSUM = ChecksumAlgorithm.CRC32_C;

	/** An object's text and ETag. */
	record Versioned(String text, String etag) {

	}

	/** An object's size and user metadata. */
	record Head(long size, Map<String, String> metadata) {

	}

	private final S3Client client;

	private final S3Calls calls;

	private final String bucket;

	private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

	S3ResumableCalls(S3Client client, S3Calls calls) {
		this.client = client;
		this.calls = calls;
		this.bucket = calls.bucket();
	}

	Map<String, Long> counts() {
		Map<String, Long> snapshot = new TreeMap<>();
		this.counts.forEach((name, n) -> snapshot.put(name, n.sum()));
		return snapshot;
	}

	Versioned get(String key) throws IOException {
		count("GetObject");
		try {
			ResponseBytes<GetObjectResponse> bytes = this.client
				.getObjectAsBytes((r) -> r.bucket(this.bucket).key(key));
			return new Versioned(bytes.asString(StandardCharsets.UTF_8), bytes.response().eTag());
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return null;
			}
			throw this.calls.translate(ex);
		}
		catch (SdkException ex) {
			throw this.calls.translate(ex);
		}
	}

	/**
	 * Writes {@code text} if the object's ETag is still {@code etag}, or, with
	 * {@code etag} null, if there is no object yet.
	 * @return the new ETag, or {@code null} when the condition failed
	 */
	String putIf(String key, String text, String etag) throws IOException {
		count("PutObject");
		try {
			return this.client.putObject((r) -> {
				r.bucket(this.bucket).key(key).contentType("application/json");
				if (etag == null) {
					r.ifNoneMatch("*");
				}
				else {
					r.ifMatch(etag);
				}
			}, RequestBody.fromString(text, StandardCharsets.UTF_8)).eTag();
		}
		catch (S3Exception ex) {
			// 412: condition failed; 409: a concurrent conditional write (AWS);
			// 404: If-Match on an object deleted meanwhile
			if (ex.statusCode() == 412 || ex.statusCode() == 409 || ex.statusCode() == 404) {
				return null;
			}
			throw this.calls.translate(ex);
		}
		catch (SdkException ex) {
			throw this.calls.translate(ex);
		}
	}

	Head head(String key) throws IOException {
		count("HeadObject");
		try {
			HeadObjectResponse head = this.client.headObject((r) -> r.bucket(this.bucket).key(key));
			return new Head(head.contentLength(), head.metadata());
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return null;
			}
			throw this.calls.translate(ex);
		}
		catch (SdkException ex) {
			throw this.calls.translate(ex);
		}
	}

	/** Streams an object; the caller closes the stream. */
	InputStream open(String key) throws IOException {
		count("GetObject");
		return sdk(() -> this.client.getObject((r) -> r.bucket(this.bucket).key(key)));
	}

	/** Copies an object into a local file. */
	void download(String key, Path file) throws IOException {
		try (InputStream in = open(key)) {
			Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	String putFile(String key, Path file, long length, Map<String, String> metadata) throws IOException {
		count("PutObject");
		RequestBody body = (length == 0) ? RequestBody.empty() : RequestBody.fromFile(file);
		return sdk(() -> this.client
			.putObject((r) -> r.bucket(this.bucket)
				.key(key)
				.contentType("application/octet-stream")
				.contentLength(length)
				.metadata(metadata)
				.checksumAlgorithm(CHECKSUM), body)
			.eTag());
	}

	String createMultipartUpload(String key, Map<String, String> metadata) throws IOException {
		count("CreateMultipartUpload");
		return sdk(() -> this.client
			.createMultipartUpload((r) -> r.bucket(this.bucket)
				.key(key)
				.contentType("application/octet-stream")
				.metadata(metadata)
				.checksumAlgorithm(CHECKSUM))
			.uploadId());
	}

	S3UploadState.Part uploadPart(String key, String uploadId, int number, Path file, long length) throws IOException {
		count("UploadPart");
		UploadPartResponse answer = sdk(() -> this.client.uploadPart((r) -> r.bucket(this.bucket)
			.key(key)
			.uploadId(uploadId)
			.partNumber(number)
			.contentLength(length)
			.checksumAlgorithm(CHECKSUM), RequestBody.fromFile(file)));
		return new S3UploadState.Part(number, length, answer.eTag(), answer.checksumCRC32C());
	}

	/** Completes from the recorded parts, never from a listing. */
	void completeMultipartUpload(String key, String uploadId, List<S3UploadState.Part> parts) throws IOException {
		count("CompleteMultipartUpload");
		List<CompletedPart> completed = parts.stream()
			.map((p) -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).checksumCRC32C(p.crc()).build())
			.toList();
		sdk(() -> this.client.completeMultipartUpload(
				(r) -> r.bucket(this.bucket).key(key).uploadId(uploadId).multipartUpload((m) -> m.parts(completed))));
	}

	/** Aborts every multipart upload of exactly {@code key}: recorded or orphaned. */
	void abortMultipartUploads(String key) throws IOException {
		count("ListMultipartUploads");
		List<String> ids = new java.util.ArrayList<>();
		this.calls.listMultipartUploads(key, (u) -> {
			if (u.key().equals(key)) {
				ids.add(u.uploadId());
			}
		});
		for (String id : ids) {
			count("AbortMultipartUpload");
			this.calls.abortMultipartUpload(key, id);
		}
	}

	void delete(String key) throws IOException {
		count("DeleteObject");
		this.calls.deleteObject(key);
	}

	/** Every key under {@code prefix}. */
	void list(String prefix, Consumer<String> each) throws IOException {
		count("ListObjectsV2");
		sdk(() -> {
			this.client.listObjectsV2Paginator((r) -> r.bucket(this.bucket).prefix(prefix))
				.contents()
				.forEach((o) -> each.accept(o.key()));
			return null;
		});
	}

	private void count(String request) {
		this.counts.computeIfAbsent(request, (k) -> new LongAdder()).increment();
	}

	private <T> T sdk(SdkCall<T> call) throws IOException {
		try {
			return call.run();
		}
		catch (SdkException ex) {
			throw this.calls.translate(ex);
		}
	}

	@FunctionalInterface
	private interface SdkCall<T> {

		T run();

	}

}
