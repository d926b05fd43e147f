package io.evhttp.s3;

import static io.evhttp.s3.S3Objects.MIB;
import static io.evhttp.s3.S3Objects.md5;
import static io.evhttp.s3.S3Objects.randomBytes;
import static io.evhttp.s3.S3Objects.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.evhttp.s3.test.S3ProxyExtension;
import io.evhttp.s3.test.S3ProxyServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 behaviour the S3 upload store relies on, checked against a real S3-compatible
 * server (S3Proxy, filesystem backend). Where S3Proxy departs from AWS S3 the test says
 * so in its name: the store's own tests cannot count on those features here.
 */
@ExtendWith(S3ProxyExtension.class)
class S3BehaviourTests {

	private static final String BUCKET = "behaviour";

	private static final String STALE_ETAG = "\"0123456789abcdef0123456789abcdef\"";

	private final S3Client s3;

	S3BehaviourTests(S3Client s3) {
		this.s3 = s3;
	}

	@BeforeAll
	static void createBucket(S3ProxyServer server) {
		server.createBucket(BUCKET);
	}

	@AfterAll
	static void leaveNoUploadOpen(S3Client s3) {
		for (MultipartUpload upload : s3.listMultipartUploads((request) -> request.bucket(BUCKET)).uploads()) {
			s3.abortMultipartUpload((request) -> request.bucket(BUCKET).key(upload.key()).uploadId(upload.uploadId()));
		}
	}

	@Test
	void createdBucketIsListed() {
		this.s3.createBucket((request) -> request.bucket("listed"));
		assertThat(this.s3.listBuckets().buckets()).extracting((bucket) -> bucket.name()).contains("listed", BUCKET);
	}

	@Test
	void objectIsReadBackByteForByteAndItsETagIsTheMd5() {
		byte[] bytes = randomBytes(MIB + 17, 1);
		String eTag = this.s3
			.putObject((request) -> request.bucket(BUCKET).key("dir/object.bin"), RequestBody.fromBytes(bytes))
			.eTag();
		byte[] read = this.s3.getObjectAsBytes((request) -> request.bucket(BUCKET).key("dir/object.bin")).asByteArray();
		assertThat(read).isEqualTo(bytes);
		assertThat(eTag).isEqualTo("\"" + md5(bytes) + "\"");
	}

	@Test
	void multipartUploadOfTwoFullPartsAndASmallLastPartStoresTheBytesInOrder() {
		byte[] first = randomBytes(5 * MIB, 2);
		byte[] second = randomBytes(5 * MIB, 3);
		byte[] last = randomBytes(1000, 4);
		String key = "multipart.bin";
		String uploadId = this.s3.createMultipartUpload((request) -> request.bucket(BUCKET).key(key)).uploadId();
		List<CompletedPart> parts = List.of(uploadPart(key, uploadId, 1, first), uploadPart(key, uploadId, 2, second),
				uploadPart(key, uploadId, 3, last));
		String eTag = complete(key, uploadId, parts);
		byte[] stored = this.s3.getObjectAsBytes((request) -> request.bucket(BUCKET).key(key)).asByteArray();
		assertThat(stored).hasSize(first.length + second.length + last.length);
		assertThat(sha256(stored)).isEqualTo(sha256(first, second, last));
		assertThat(eTag).endsWith("-3\"");
		assertThat(uploadsOf(key)).isEmpty();
	}

	@Test
	void partNumbersMayHaveGaps() {
		byte[] first = randomBytes(5 * MIB, 5);
		byte[] last = randomBytes(10, 6);
		String key = "gaps.bin";
		String uploadId = this.s3.createMultipartUpload((request) -> request.bucket(BUCKET).key(key)).uploadId();
		List<CompletedPart> parts = List.of(uploadPart(key, uploadId, 3, first), uploadPart(key, uploadId, 1000, last));
		complete(key, uploadId, parts);
		byte[] stored = this.s3.getObjectAsBytes((request) -> request.bucket(BUCKET).key(key)).asByteArray();
		assertThat(sha256(stored)).isEqualTo(sha256(first, last));
	}

	@Test
	void nonLastPartUnder5MiBIsRefusedWithEntityTooSmall() {
		String key = "too-small.bin";
		String uploadId = this.s3.createMultipartUpload((request) -> request.bucket(BUCKET).key(key)).uploadId();
		List<CompletedPart> parts = List.of(uploadPart(key, uploadId, 1, randomBytes(5 * MIB - 1, 7)),
				uploadPart(key, uploadId, 2, randomBytes(10, 8)));
		assertThatExceptionOfType(S3Exception.class).isThrownBy(() -> complete(key, uploadId, parts))
			.satisfies((ex) -> {
				assertThat(ex.statusCode()).isEqualTo(400);
				assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("EntityTooSmall");
			});
		// refused at completion, not at upload: the upload stays open until aborted
		assertThat(uploadsOf(key)).containsExactly(uploadId);
	}

	@Test
	void abortedMultipartUploadIsGoneFromListMultipartUploads() {
		String key = "aborted.bin";
		String uploadId = this.s3.createMultipartUpload((request) -> request.bucket(BUCKET).key(key)).uploadId();
		CompletedPart part = uploadPart(key, uploadId, 1, randomBytes(5 * MIB, 9));
		assertThat(uploadsOf(key)).containsExactly(uploadId);
		this.s3.abortMultipartUpload((request) -> request.bucket(BUCKET).key(key).uploadId(uploadId));
		assertThat(uploadsOf(key)).isEmpty();
		assertThatExceptionOfType(NoSuchUploadException.class).isThrownBy(() -> complete(key, uploadId, List.of(part)));
		assertThatExceptionOfType(NoSuchUploadException.class).isThrownBy(
				() -> this.s3.abortMultipartUpload((request) -> request.bucket(BUCKET).key(key).uploadId(uploadId)));
		assertThat(this.s3.listObjectsV2((request) -> request.bucket(BUCKET).prefix(key)).contents()).isEmpty();
	}

	@Test
	void s3ProxyAcceptsPartsForAnAbortedOrUnknownUpload() {
		String key = "stale-writer.bin";
		String uploadId = this.s3.createMultipartUpload((request) -> request.bucket(BUCKET).key(key)).uploadId();
		this.s3.abortMultipartUpload((request) -> request.bucket(BUCKET).key(key).uploadId(uploadId));
		// AWS S3 answers 404 NoSuchUpload to both; S3Proxy stores the part and lists it,
		// so a
		// writer that missed the abort is not stopped here
		assertThat(uploadPart(key, uploadId, 1, randomBytes(10, 15)).eTag()).isNotEmpty();
		assertThat(uploadPart(key, "no-such-upload", 1, randomBytes(10, 16)).eTag()).isNotEmpty();
		assertThat(uploadsOf(key)).isEmpty();
		assertThatExceptionOfType(NoSuchUploadException.class).isThrownBy(
				() -> complete(key, "no-such-upload", List.of(uploadPart(key, "no-such-upload", 1, new byte[1]))));
	}

	@Test
	void putWithIfNoneMatchStarFailsWith412WhenTheKeyExists() {
		String key = "create-once";
		this.s3.putObject((request) -> request.bucket(BUCKET).key(key).ifNoneMatch("*"), RequestBody.fromString("one"));
		assertPreconditionFailed(() -> this.s3.putObject((request) -> request.bucket(BUCKET).key(key).ifNoneMatch("*"),
				RequestBody.fromString("two")));
		assertThat(read(key)).isEqualTo("one");
	}

	@Test
	void putWithStaleIfMatchFailsWith412AndWithTheCurrentETagSucceeds() {
		String key = "compare-and-swap";
		String eTag = this.s3.putObject((request) -> request.bucket(BUCKET).key(key), RequestBody.fromString("v1"))
			.eTag();
		assertPreconditionFailed(() -> this.s3.putObject(
				(request) -> request.bucket(BUCKET).key(key).ifMatch(STALE_ETAG), RequestBody.fromString("stale")));
		this.s3.putObject((request) -> request.bucket(BUCKET).key(key).ifMatch(eTag), RequestBody.fromString("v2"));
		assertThat(read(key)).isEqualTo("v2");
		// v1's ETag is stale now
		assertPreconditionFailed(() -> this.s3.putObject((request) -> request.bucket(BUCKET).key(key).ifMatch(eTag),
				RequestBody.fromString("v3")));
	}

	@Test
	void putWithIfMatchOnAMissingKeyFailsWith404() {
		assertThatExceptionOfType(S3Exception.class)
			.isThrownBy(() -> this.s3.putObject((request) -> request.bucket(BUCKET).key("missing").ifMatch(STALE_ETAG),
					RequestBody.fromString("x")))
			.satisfies((ex) -> assertThat(ex.statusCode()).isEqualTo(404));
	}

	@Test
	void ifNoneMatchStarLetsExactlyOneOfConcurrentCreatorsWin() throws Exception {
		String key = "race-" + java.util.UUID.randomUUID();
		int creators = 6;
		CountDownLatch go = new CountDownLatch(1);
		List<String> winners = new java.util.concurrent.CopyOnWriteArrayList<>();
		List<Callable<Boolean>> attempts = new ArrayList<>();
		for (int i = 0; i < creators; i++) {
			String body = "creator " + i;
			attempts.add(() -> {
				go.await();
				try {
					this.s3.putObject((request) -> request.bucket(BUCKET).key(key).ifNoneMatch("*"),
							RequestBody.fromString(body));
					winners.add(body);
					return true;
				}
				catch (S3Exception ex) {
					assertThat(ex.statusCode()).isEqualTo(412);
					return false;
				}
			});
		}
		ExecutorService executor = Executors.newFixedThreadPool(creators);
		try {
			List<Future<Boolean>> results = new ArrayList<>();
			for (Callable<Boolean> attempt : attempts) {
				results.add(executor.submit(attempt));
			}
			go.countDown();
			for (Future<Boolean> result : results) {
				result.get(30, TimeUnit.SECONDS);
			}
			// One body is stored. Its writer was told so, unless the SDK retried a write
			// that had applied (a transport error under load) and the retry got 412.
			String stored = this.s3.getObjectAsBytes((request) -> request.bucket(BUCKET).key(key)).asUtf8String();
			assertThat(stored).startsWith("creator ");
			assertThat(winners).hasSizeLessThanOrEqualTo(1);
			if (!winners.isEmpty()) {
				assertThat(winners).containsExactly(stored);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void completeMultipartUploadHonoursIfNoneMatchAndIfMatch() {
		String key = "conditional-complete";
		this.s3.putObject((request) -> request.bucket(BUCKET).key(key), RequestBody.fromString("existing"));
		String refused = this.s3.createMultipartUpload((request) -> request.bucket(BUCKET).key(key)).uploadId();
		List<CompletedPart> parts = List.of(uploadPart(key, refused, 1, randomBytes(10, 11)));
		assertPreconditionFailed(() -> this.s3.completeMultipartUpload((request) -> request.bucket(BUCKET)
			.key(key)
			.uploadId(refused)
			.ifNoneMatch("*")
			.multipartUpload((upload) -> upload.parts(parts))));
		assertPreconditionFailed(() -> this.s3.completeMultipartUpload((request) -> request.bucket(BUCKET)
			.key(key)
			.uploadId(refused)
			.ifMatch(STALE_ETAG)
			.multipartUpload((upload) -> upload.parts(parts))));
		assertThat(read(key)).isEqualTo("existing");
		// a refused completion leaves the upload open: it can still be completed or
		// aborted
		assertThat(uploadsOf(key)).containsExactly(refused);
		String eTag = this.s3.headObject((request) -> request.bucket(BUCKET).key(key)).eTag();
		this.s3.completeMultipartUpload((request) -> request.bucket(BUCKET)
			.key(key)
			.uploadId(refused)
			.ifMatch(eTag)
			.multipartUpload((upload) -> upload.parts(parts)));
		assertThat(uploadsOf(key)).isEmpty();
	}

	@Test
	void listPartsReturnsEveryPartWithItsSizeButS3ProxyDoesNotPage() {
		String key = "list-parts.bin";
		String uploadId = this.s3.createMultipartUpload((request) -> request.bucket(BUCKET).key(key)).uploadId();
		uploadPart(key, uploadId, 1, randomBytes(5 * MIB, 12));
		uploadPart(key, uploadId, 2, randomBytes(5 * MIB, 13));
		uploadPart(key, uploadId, 3, randomBytes(100, 14));
		ListPartsResponse listed = this.s3
			.listParts((request) -> request.bucket(BUCKET).key(key).uploadId(uploadId).maxParts(1));
		assertThat(listed.parts()).extracting(Part::partNumber, Part::size)
			.containsExactly(tuple(1, (long) 5 * MIB), tuple(2, (long) 5 * MIB), tuple(3, 100L));
		// AWS S3 would return one part and isTruncated=true; S3Proxy ignores max-parts
		// ...
		assertThat(listed.isTruncated()).isFalse();
		// ... and refuses part-number-marker with 501 NotImplemented
		assertThatExceptionOfType(S3Exception.class)
			.isThrownBy(() -> this.s3
				.listParts((request) -> request.bucket(BUCKET).key(key).uploadId(uploadId).partNumberMarker(1)))
			.satisfies((ex) -> assertThat(ex.statusCode()).isEqualTo(501));
	}

	@Test
	void s3ProxyIgnoresConditionsOnTheDestinationOfCopyObject() {
		this.s3.putObject((request) -> request.bucket(BUCKET).key("copy-source"), RequestBody.fromString("source"));
		this.s3.putObject((request) -> request.bucket(BUCKET).key("copy-target"), RequestBody.fromString("target"));
		// AWS S3 answers both with 412; S3Proxy evaluates only x-amz-copy-source-if-* and
		// copies
		this.s3.copyObject((request) -> request.sourceBucket(BUCKET)
			.sourceKey("copy-source")
			.destinationBucket(BUCKET)
			.destinationKey("copy-target")
			.ifNoneMatch("*"));
		assertThat(read("copy-target")).isEqualTo("source");
		this.s3.putObject((request) -> request.bucket(BUCKET).key("copy-target"), RequestBody.fromString("target"));
		this.s3.copyObject((request) -> request.sourceBucket(BUCKET)
			.sourceKey("copy-source")
			.destinationBucket(BUCKET)
			.destinationKey("copy-target")
			.ifMatch(STALE_ETAG));
		assertThat(read("copy-target")).isEqualTo("source");
	}

	private CompletedPart uploadPart(String key, String uploadId, int partNumber, byte[] bytes) {
		String eTag = this.s3
			.uploadPart((request) -> request.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(partNumber),
					RequestBody.fromBytes(bytes))
			.eTag();
		return CompletedPart.builder().partNumber(partNumber).eTag(eTag).build();
	}

	private String complete(String key, String uploadId, List<CompletedPart> parts) {
		return this.s3
			.completeMultipartUpload((request) -> request.bucket(BUCKET)
				.key(key)
				.uploadId(uploadId)
				.multipartUpload((upload) -> upload.parts(parts)))
			.eTag();
	}

	private List<String> uploadsOf(String key) {
		return this.s3.listMultipartUploads((request) -> request.bucket(BUCKET).prefix(key))
			.uploads()
			.stream()
			.filter((upload) -> upload.key().equals(key))
			.map(MultipartUpload::uploadId)
			.toList();
	}

	private String read(String key) {
		return this.s3.getObjectAsBytes((request) -> request.bucket(BUCKET).key(key)).asUtf8String();
	}

	private static void assertPreconditionFailed(Runnable request) {
		assertThatExceptionOfType(S3Exception.class).isThrownBy(request::run).satisfies((ex) -> {
			assertThat(ex.statusCode()).isEqualTo(412);
			assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("PreconditionFailed");
		});
	}

}
