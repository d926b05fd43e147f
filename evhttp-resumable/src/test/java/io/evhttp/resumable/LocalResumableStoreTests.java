package io.evhttp.resumable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local-disk store without a server: leases, durability rules, expiry. */
class LocalResumableStoreTests {

	@TempDir
	Path dir;

	private final Instant later = Instant.parse("2030-01-01T00:00:00Z");

	@Test
	void secondLeaseAsksTheHolderToStopAndGivesUpWhenItDoesNot() throws Exception {
		LocalResumableStore store = new LocalResumableStore(this.dir);
		UploadInfo info = store.create(new NewUpload(10, "", this.later, false, List.of()));
		AtomicInteger asked = new AtomicInteger();
		try (UploadLease held = store.lease(info.id(), Duration.ZERO)) {
			held.onStopRequested(asked::incrementAndGet);
			assertThatExceptionOfType(LeaseUnavailableException.class)
				.isThrownBy(() -> store.lease(info.id(), Duration.ofMillis(50)));
			assertThat(asked).hasValue(1);
		}
		try (UploadLease next = store.lease(info.id(), Duration.ZERO)) {
			assertThat(next.info().offset()).isZero();
		}
	}

	@Test
	void leaseTakenFromAHolderThatLetsGoCountsAsATakeover() throws Exception {
		LocalResumableStore store = new LocalResumableStore(this.dir);
		UploadInfo info = store.create(new NewUpload(10, "", this.later, false, List.of()));
		try (UploadLease first = store.lease(info.id(), Duration.ZERO)) {
			assertThat(store.leaseTakeovers()).isZero(); // a free upload: no takeover
			first.onStopRequested(first::close);
			try (UploadLease second = store.lease(info.id(), Duration.ofSeconds(5))) {
				assertThat(second).isNotNull();
			}
		}
		assertThat(store.leaseTakeovers()).isOne();
	}

	@Test
	void bytesNeverCommittedAreDroppedByTheNextAppend() throws Exception {
		LocalResumableStore store = new LocalResumableStore(this.dir);
		UploadInfo info = store.create(new NewUpload(10, "", this.later, false, List.of()));
		try (UploadLease lease = store.lease(info.id(), Duration.ZERO)) {
			UploadAppend append = lease.append();
			append.write(ByteBuffer.wrap("abc".getBytes()));
			assertThat(append.commit().offset()).isEqualTo(3);
		}
		// a crash after writing, before committing
		Files.write(store.dataFile(info.id()), "zz".getBytes(), StandardOpenOption.APPEND);
		LocalResumableStore restarted = new LocalResumableStore(this.dir);
		try (UploadLease lease = restarted.lease(info.id(), Duration.ZERO)) {
			assertThat(lease.info().offset()).isEqualTo(3);
			UploadAppend append = lease.append();
			append.write(ByteBuffer.wrap("d".getBytes()));
			append.commit();
		}
		assertThat(Files.readString(store.dataFile(info.id()))).isEqualTo("abcd");
	}

	@Test
	void discardedAppendLeavesTheOffsetAndTheFileAsTheyWere() throws Exception {
		LocalResumableStore store = new LocalResumableStore(this.dir);
		UploadInfo info = store.create(new NewUpload(-1, "", this.later, false, List.of()));
		try (UploadLease lease = store.lease(info.id(), Duration.ZERO)) {
			UploadAppend append = lease.append();
			append.write(ByteBuffer.wrap("abc".getBytes()));
			append.discard();
			assertThat(lease.info().offset()).isZero();
		}
		assertThat(Files.size(store.dataFile(info.id()))).isZero();
		assertThat(store.read(info.id()).lengthDeferred()).isTrue();
	}

	@Test
	void idsAreUnguessableAndOthersNameNothing() throws Exception {
		LocalResumableStore store = new LocalResumableStore(this.dir);
		UploadInfo a = store.create(new NewUpload(1, "", this.later, false, List.of()));
		UploadInfo b = store.create(new NewUpload(1, "", this.later, false, List.of()));
		assertThat(a.id()).matches("[0-9a-f]{32}").isNotEqualTo(b.id());
		assertThat(store.read("../" + a.id())).isNull();
		assertThat(store.lease(a.id().toUpperCase(java.util.Locale.ROOT), Duration.ZERO)).isNull();
	}

	@Test
	void expiredUploadsAreListed() throws Exception {
		LocalResumableStore store = new LocalResumableStore(this.dir);
		UploadInfo old = store.create(new NewUpload(1, "", this.later.minusSeconds(1), false, List.of()));
		store.create(new NewUpload(1, "", this.later.plusSeconds(1), false, List.of()));
		assertThat(store.expired(this.later)).extracting(UploadInfo::id).containsExactly(old.id());
	}

}
