package io.evhttp.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.evhttp.http.HttpException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UploadedFileTests {

	@TempDir
	Path dir;

	@Test
	void tempFilesAreOwnerOnlyWithUnguessableNames() throws Exception {
		TempFileStore store = new TempFileStore(this.dir.resolve("tmp"));
		FileSink a = FileSink.open(store, "f", "a.txt", "text/plain", DigestAlgorithm.NONE, -1);
		FileSink b = FileSink.open(store, "f", "a.txt", "text/plain", DigestAlgorithm.NONE, -1);
		assertThat(a.file().path()).isNotEqualTo(b.file().path());
		assertThat(a.file().path().getFileName().toString()).matches("evhttp-\\d+-[0-9a-f]{32}\\.upload");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a.file().path())))
			.isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.directory())))
			.isEqualTo("rwx------");
		a.abort();
		b.abort();
		assertThat(Files.list(store.directory())).isEmpty();
	}

	@Test
	void sizeAndDigestAreComputedWhileWriting() throws Exception {
		TempFileStore store = new TempFileStore(this.dir);
		FileSink sink = FileSink.open(store, "f", "x", "text/plain", DigestAlgorithm.SHA_256, -1);
		sink.write(ByteBuffer.wrap("hello ".getBytes(StandardCharsets.US_ASCII)));
		ByteBuffer direct = ByteBuffer.allocateDirect(5).put("world".getBytes(StandardCharsets.US_ASCII)).flip();
		sink.write(direct);
		UploadedFile file = sink.finish();
		assertThat(file.size()).isEqualTo(11);
		assertThat(file.digestHex()).isEqualTo("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
		assertThat(Files.readString(file.path())).isEqualTo("hello world");
	}

	@Test
	void fileOverItsLimitIsRefusedWith413() throws Exception {
		FileSink sink = FileSink.open(new TempFileStore(this.dir), "f", "x", "text/plain", DigestAlgorithm.NONE, 4);
		assertThatThrownBy(() -> sink.write(ByteBuffer.wrap(new byte[5]))).isInstanceOfSatisfying(HttpException.class,
				(ex) -> assertThat(ex.status()).isEqualTo(413));
		sink.abort();
	}

	@Test
	void moveToNeverReplacesUnlessAsked() throws Exception {
		Path target = Files.writeString(this.dir.resolve("target.txt"), "old");
		UploadedFile file = upload("new");
		assertThatThrownBy(() -> file.moveTo(target)).isInstanceOf(FileAlreadyExistsException.class);
		assertThat(Files.readString(target)).isEqualTo("old");
		assertThat(file.isMoved()).isFalse();
		file.moveTo(target, StandardCopyOption.REPLACE_EXISTING, UploadedFile.MoveOption.SYNC);
		assertThat(Files.readString(target)).isEqualTo("new");
		assertThat(file.isMoved()).isTrue();
		file.deleteIfTemporary();
		assertThat(target).exists();
	}

	@Test
	void moveToRenamesAndTheFileIsNoLongerTemporary() throws Exception {
		UploadedFile file = upload("data");
		Path before = file.path();
		Path target = this.dir.resolve("kept.txt");
		file.moveTo(target);
		assertThat(before).doesNotExist();
		assertThat(file.path()).isEqualTo(target);
		try (var in = file.inputStream()) {
			assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("data");
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', nullValues = "NULL",
			value = { "C:\\x\\y.txt | y.txt", "../../etc/passwd | passwd", ".. | file", "'' | file", "NULL | file",
					".hidden | hidden", "a\u0000b\u0007c.txt | abc.txt", "dir/ | file",
					"r\u00e9sum\u00e9.pdf | r\u00e9sum\u00e9.pdf", "c:evil | cevil" })
	void safeFilenameIsTheLastSegmentWithoutTricks(String sent, String safe) {
		UploadedFile file = new UploadedFile("f", sent, "text/plain", this.dir.resolve("x"), DigestAlgorithm.NONE);
		assertThat(file.safeFilename()).isEqualTo(safe);
	}

	private UploadedFile upload(String content) throws Exception {
		FileSink sink = FileSink.open(new TempFileStore(this.dir.resolve("tmp")), "f", "x", "text/plain",
				DigestAlgorithm.NONE, -1);
		sink.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
		return sink.finish();
	}

}
