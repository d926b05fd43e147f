package io.evhttp.s3;

import static io.evhttp.s3.S3Objects.MIB;
import static io.evhttp.s3.S3Objects.randomBytes;
import static io.evhttp.s3.S3Objects.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.evhttp.resumable.LeaseUnavailableException;
import io.evhttp.resumable.NewUpload;
import io.evhttp.resumable.UploadAppend;
import io.evhttp.resumable.UploadInfo;
import io.evhttp.resumable.UploadLease;
import io.evhttp.s3.test.S3ProxyExtension;
import io.evhttp.s3.test.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@link S3ResumableStore} contract against S3Proxy: create, read, lease, append,
 * complete, terminate, expire; what a stale holder writes never counts; what each step
 * costs in S3 requests; and nothing left in the bucket or the spool afterwards.
 */
@ExtendWith(S3ProxyExtension.class)
class S3ResumableStoreTests {

	private static final String BUCKET = "resumable-store";

	private final S3ProxyServer s3proxy;

	private final S3Client direct;

	private final List<AutoCloseable> closing = new ArrayList<>();

	private final String prefix = "p" + System.nanoTime() + "/";

	/** The spool directory of the last store made. */
	private Path spool;

	S3ResumableStoreTests(S3ProxyServer s3proxy, S3Client direct) {
		this.s3proxy = s3proxy;
		this.direct = direct;
	}

	@BeforeAll
	static void bucket(S3ProxyServer s3proxy) {
		s3proxy.createBucket(BUCKET);
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closing) {
			c.close();
		}
	}

	private S3ResumableStore store(UnaryOperator<S3ResumableStore.Builder> settings) throws IOException {
		S3Client client = StoreServer.storeClient(this.s3proxy.endpoint());
		Path spool = Files.createTempDirectory("resumable-store-");
		this.spool = spool;
		S3ResumableStore store = settings
			.apply(S3ResumableStore.builder(client, BUCKET)
				.prefix(this.prefix)
				.spoolDirectory(spool)
				.partSize(5 * MIB)
				.leaseDuration(Duration.ofSeconds(2))
				.pollInterval(Duration.ofMillis(50)))
			.build();
		this.closing.add(client);
		this.closing.add(store);
		return store;
	}

	private S3ResumableStore store() throws IOException {
		return store((b) -> b);
	}

	private static NewUpload upload(long length) {
		return new NewUpload(length, "filename dGVzdA==", Instant.now().plusSeconds(3600), false, List.of());
	}

	/** Appends {@code bytes} in reads of 64 KiB, as the event loop would. */
	private static void write(UploadAppend append, byte[] bytes) throws Exception {
		for (int at = 0; at < bytes.length; at += 64 * 1024) {
			ByteBuffer chunk = ByteBuffer.wrap(bytes, at, Math.min(64 * 1024, bytes.length - at));
			if (!append.write(chunk)) {
				CountDownLatch ready = new CountDownLatch(1);
				append.onReady(ready::countDown);
				assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
			}
		}
	}

	private static UploadInfo append(S3ResumableStore store, String id, byte[] bytes) throws Exception {
		try (UploadLease lease = store.lease(id, Duration.ofSeconds(5))) {
			UploadAppend append = lease.append();
			write(append, bytes);
			return append.commit();
		}
	}

	private static String stored(S3ResumableStore store, String id) throws IOException {
		try (InputStream in = store.open(id)) {
			return sha256(in.readAllBytes());
		}
	}

	private List<String> leftovers() {
		return ResumableNode.leftovers(this.direct, BUCKET, this.prefix);
	}

	@Test
	void appendsAcrossPartsAndTailsCompleteIntoOneObjectAndLeaveNothingElse() throws Exception {
		S3ResumableStore store = store();
		byte[] bytes = randomBytes(17 * MIB + 3, 1);
		UploadInfo created = store.create(upload(bytes.length));
		String id = created.id();
		// 3 MiB, 4 MiB, 7 MiB, then the rest: tails carried over, parts refilled
		int[] cuts = { 0, 3 * MIB, 7 * MIB, 14 * MIB, bytes.length };
		for (int i = 1; i < cuts.length; i++) {
			UploadInfo info = append(store, id, java.util.Arrays.copyOfRange(bytes, cuts[i - 1], cuts[i]));
			assertThat(info.offset()).isEqualTo(cuts[i]);
			assertThat(store.read(id).offset()).isEqualTo(cuts[i]);
		}
		try (UploadLease lease = store.lease(id, Duration.ofSeconds(5))) {
			assertThat(lease.complete().complete()).isTrue();
		}
		UploadInfo done = store.read(id);
		assertThat(done.complete()).isTrue();
		assertThat(done.length()).isEqualTo(bytes.length);
		assertThat(done.metadata()).isEqualTo("filename dGVzdA==");
		assertThat(stored(store, id)).isEqualTo(sha256(bytes));
		assertThat(leftovers()).containsExactly("object " + id);
		assertThat(Files.list(this.spool).toList()).isEmpty();
	}

	@Test
	void uploadUnderOnePartCompletesWithOnePutAndNoMultipartUpload() throws Exception {
		S3ResumableStore store = store();
		byte[] bytes = randomBytes(MIB + 5, 2);
		String id = store.create(upload(-1)).id();
		append(store, id, java.util.Arrays.copyOfRange(bytes, 0, 1000));
		append(store, id, java.util.Arrays.copyOfRange(bytes, 1000, bytes.length));
		try (UploadLease lease = store.lease(id, Duration.ofSeconds(5))) {
			lease.declareLength(bytes.length);
			lease.complete();
		}
		assertThat(stored(store, id)).isEqualTo(sha256(bytes));
		assertThat(store.read(id).length()).isEqualTo(bytes.length);
		assertThat(leftovers()).containsExactly("object " + id);
	}

	@Test
	void emptyUploadCompletes() throws Exception {
		S3ResumableStore store = store();
		String id = store.create(upload(0)).id();
		try (UploadLease lease = store.lease(id, Duration.ofSeconds(5))) {
			lease.complete();
		}
		assertThat(store.read(id).complete()).isTrue();
		assertThat(stored(store, id)).isEqualTo(sha256(new byte[0]));
	}

	@Test
	void readOfAnUploadInProgressCostsOneGet() throws Exception {
		S3ResumableStore store = store();
		String id = store.create(upload(10 * MIB)).id();
		append(store, id, randomBytes(6 * MIB, 3));
		Map<String, Long> before = store.requestCounts();
		assertThat(store.read(id).offset()).isEqualTo(6 * MIB);
		assertThat(delta(before, store.requestCounts())).isEqualTo(Map.of("GetObject", 1L));
	}

	static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
		Map<String, Long> d = new java.util.TreeMap<>();
		after.forEach((k, v) -> {
			long n = v - before.getOrDefault(k, 0L);
			if (n != 0) {
				d.put(k, n);
			}
		});
		return d;
	}

	@Test
	void unknownAndMalformedIdsNameNoUpload() throws Exception {
		S3ResumableStore store = store();
		assertThat(store.read("0123456789abcdef0123456789abcdef")).isNull();
		assertThat(store.read("../etc/passwd")).isNull();
		assertThat(store.lease("0123456789abcdef0123456789abcdef", Duration.ZERO)).isNull();
	}

	@Test
	void holderAskedToStopReleasesAndTheNewcomerGetsTheLease() throws Exception {
		S3ResumableStore one = store();
		S3ResumableStore two = store();
		String id = one.create(upload(-1)).id();
		UploadLease held = one.lease(id, Duration.ZERO);
		UploadAppend append = held.append();
		write(append, randomBytes(1000, 4));
		held.onStopRequested(() -> {
			try {
				append.commit(); // what it received is kept
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
			held.close();
		});
		try (UploadLease taken = two.lease(id, Duration.ofSeconds(5))) {
			assertThat(taken.info().offset()).isEqualTo(1000);
		}
	}

	@Test
	void holderThatDoesNotLetGoInTimeMakesTheNewcomerFail() throws Exception {
		S3ResumableStore one = store((b) -> b.leaseDuration(Duration.ofSeconds(30)));
		String id = one.create(upload(-1)).id();
		try (UploadLease held = one.lease(id, Duration.ZERO)) {
			assertThatExceptionOfType(LeaseUnavailableException.class)
				.isThrownBy(() -> store().lease(id, Duration.ofMillis(300)));
			assertThat(held.info().id()).isEqualTo(id);
		}
	}

	@Test
	void deadHoldersLeaseRunsOut() throws Exception {
		S3ResumableStore dead = store();
		String id = dead.create(upload(-1)).id();
		dead.lease(id, Duration.ZERO);
		dead.close(); // its heartbeat stops, the lease is never released
		try (UploadLease taken = store().lease(id, Duration.ofSeconds(10))) {
			assertThat(taken.info().id()).isEqualTo(id);
		}
	}

	@Test
	void partsOfAStaleHolderNeverCount() throws Exception {
		// the stale holder's lease runs out before its heartbeat would renew it
		S3ResumableStore stale = store(
				(b) -> b.leaseDuration(Duration.ofMillis(500)).pollInterval(Duration.ofHours(1)));
		S3ResumableStore fresh = store();
		byte[] theirs = randomBytes(6 * MIB, 5);
		byte[] ours = randomBytes(7 * MIB, 6);
		String id = stale.create(upload(-1)).id();
		UploadLease old = stale.lease(id, Duration.ZERO);
		UploadAppend oldAppend = old.append();
		write(oldAppend, java.util.Arrays.copyOfRange(theirs, 0, 5 * MIB)); // one part on
																			// its way
		UploadLease taken = fresh.lease(id, Duration.ofSeconds(10));
		UploadAppend append = taken.append();
		write(append, ours);
		append.commit();
		write(oldAppend, java.util.Arrays.copyOfRange(theirs, 5 * MIB, theirs.length));
		assertThatExceptionOfType(IOException.class).isThrownBy(oldAppend::commit);
		old.close();
		taken.complete();
		taken.close();
		assertThat(stored(fresh, id)).isEqualTo(sha256(ours));
		assertThat(leftovers()).containsExactly("object " + id);
	}

	@Test
	void discardedBytesLeaveTheOffsetAndTheTail() throws Exception {
		S3ResumableStore store = store();
		byte[] kept = randomBytes(2 * MIB, 7);
		String id = store.create(upload(-1)).id();
		append(store, id, kept);
		try (UploadLease lease = store.lease(id, Duration.ofSeconds(5))) {
			UploadAppend append = lease.append();
			write(append, randomBytes(6 * MIB, 8));
			append.discard();
			assertThat(lease.info().offset()).isEqualTo(2 * MIB);
			lease.complete();
		}
		assertThat(stored(store, id)).isEqualTo(sha256(kept));
		assertThat(leftovers()).containsExactly("object " + id);
	}

	@Test
	void terminationRemovesMultipartUploadTailStateAndObject() throws Exception {
		S3ResumableStore store = store();
		String id = store.create(upload(20 * MIB)).id();
		append(store, id, randomBytes(6 * MIB, 9));
		assertThat(leftovers()).contains("upload " + id, "object " + id + ".info");
		try (UploadLease lease = store.lease(id, Duration.ofSeconds(5))) {
			lease.terminate();
		}
		assertThat(store.read(id)).isNull();
		assertThat(leftovers()).isEmpty();
	}

	@Test
	void completeUploadIsTerminatedToo() throws Exception {
		S3ResumableStore store = store();
		String id = store.create(upload(3)).id();
		append(store, id, new byte[] { 1, 2, 3 });
		try (UploadLease lease = store.lease(id, Duration.ofSeconds(5))) {
			lease.complete();
		}
		try (UploadLease lease = store.lease(id, Duration.ofSeconds(5))) {
			assertThat(lease.info().complete()).isTrue();
			lease.terminate();
		}
		assertThat(store.read(id)).isNull();
		assertThat(leftovers()).isEmpty();
	}

	@Test
	void expiredListsUploadsInProgressAndCompleteOnesPastTheirExpiry() throws Exception {
		S3ResumableStore store = store();
		Instant soon = Instant.now().plusSeconds(60);
		String open = store.create(new NewUpload(-1, "", soon, false, List.of())).id();
		String done = store.create(new NewUpload(1, "", soon, false, List.of())).id();
		append(store, done, new byte[] { 7 });
		try (UploadLease lease = store.lease(done, Duration.ofSeconds(5))) {
			lease.complete();
		}
		String later = store.create(upload(-1)).id();
		assertThat(store.expired(Instant.now())).isEmpty();
		assertThat(store.expired(soon.plusSeconds(1))).extracting(UploadInfo::id)
			.containsExactlyInAnyOrder(open, done)
			.doesNotContain(later);
	}

	@Test
	void concatenationStreamsThePartialUploadsInOrder() throws Exception {
		S3ResumableStore store = store();
		byte[] a = randomBytes(3 * MIB, 10);
		byte[] b = randomBytes(6 * MIB + 1, 11);
		List<String> parts = new ArrayList<>();
		for (byte[] bytes : List.of(a, b)) {
			String id = store.create(new NewUpload(bytes.length, "", Instant.now().plusSeconds(60), true, List.of()))
				.id();
			append(store, id, bytes);
			try (UploadLease lease = store.lease(id, Duration.ofSeconds(5))) {
				lease.complete();
			}
			parts.add(id);
		}
		UploadInfo whole = store.create(new NewUpload(-1, "", Instant.now().plusSeconds(60), false, parts));
		assertThat(whole.complete()).isTrue();
		assertThat(whole.length()).isEqualTo(a.length + b.length);
		assertThat(store.read(whole.id()).parts()).isEqualTo(parts);
		assertThat(stored(store, whole.id())).isEqualTo(sha256(a, b));
	}

	@Test
	void completionWhoseHolderDiedIsFinishedByTheNextReader() throws Exception {
		S3ResumableStore dead = store();
		byte[] bytes = randomBytes(7 * MIB + 1, 12);
		String id = dead.create(upload(bytes.length)).id();
		append(dead, id, bytes);
		S3Lease lease = (S3Lease) dead.lease(id, Duration.ZERO);
		lease.update((s) -> s.withPhase(S3UploadState.Phase.COMPLETING)); // then it dies
		dead.close();
		S3ResumableStore next = store();
		assertThat(next.read(id).complete()).isTrue();
		assertThat(stored(next, id)).isEqualTo(sha256(bytes));
		assertThat(leftovers()).containsExactly("object " + id);
	}

	@Test
	void stateTooLargeForObjectMetadataIsKeptBesideTheObject() throws Exception {
		S3ResumableStore store = store();
		String metadata = "big " + "QUFB".repeat(600);
		String id = store.create(new NewUpload(3, metadata, Instant.now().plusSeconds(60), false, List.of())).id();
		append(store, id, new byte[] { 1, 2, 3 });
		try (UploadLease lease = store.lease(id, Duration.ofSeconds(5))) {
			lease.complete();
		}
		UploadInfo done = store.read(id);
		assertThat(done.complete()).isTrue();
		assertThat(done.metadata()).isEqualTo(metadata);
		assertThat(stored(store, id)).isEqualTo(sha256(new byte[] { 1, 2, 3 }));
		assertThat(leftovers()).containsExactlyInAnyOrder("object " + id, "object " + id + ".info");
		try (UploadLease lease = store.lease(id, Duration.ofSeconds(5))) {
			lease.terminate();
		}
		assertThat(leftovers()).isEmpty();
	}

}
