package io.evhttp.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDiskStoreTests {

	@TempDir
	Path dir;

	private final UploadTarget target = new UploadTarget(1, "f", "a.txt", "text/plain", -1);

	@Test
	void tempFilesAreOwnerOnlyWithUnguessableNames() throws Exception {
		LocalDiskStore store = new LocalDiskStore(this.dir.resolve("tmp"));
		UploadSink a = store.create(this.target);
		UploadSink b = store.create(this.target);
		assertThat(a.path()).isNotEqualTo(b.path());
		assertThat(a.path().getFileName().toString()).matches("evhttp-\\d+-[0-9a-f]{32}\\.upload");
		assertThat(a.location()).isEqualTo(a.path().toUri());
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a.path()))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.directory())))
			.isEqualTo("rwx------");
		a.discard();
		b.discard();
		assertThat(Files.list(store.directory())).isEmpty();
	}

	@Test
	void sinkTakesEverythingAtOnceAndDiscardRemovesTheFinishedFile() throws Exception {
		UploadSink sink = new LocalDiskStore(this.dir).create(this.target);
		assertThat(sink.write(ByteBuffer.allocateDirect(3).put(new byte[] { 1, 2, 3 }).flip())).isTrue();
		assertThat(sink.finish().toCompletableFuture()).isCompleted();
		assertThat(Files.readAllBytes(sink.path())).containsExactly(1, 2, 3);
		sink.discard();
		sink.discard();
		assertThat(sink.path()).doesNotExist();
	}

	@Test
	void removedDirectoryIsCreatedAgainForTheNextFile() throws Exception {
		Path tmp = this.dir.resolve("tmp");
		LocalDiskStore store = new LocalDiskStore(tmp);
		Files.delete(tmp);
		UploadSink sink = store.create(this.target);
		assertThat(sink.path()).exists().hasParent(tmp);
		sink.discard();
	}

}
