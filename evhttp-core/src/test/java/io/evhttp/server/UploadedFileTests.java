package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.evhttp.http.Headers;
import io.evhttp.http.HttpException;
import io.evhttp.internal.http.RequestHead;
import io.evhttp.internal.http.RequestTarget;
import io.evhttp.upload.DigestAlgorithm;
import io.evhttp.upload.LocalDiskStore;
import io.evhttp.upload.UploadTarget;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UploadedFileTests {

	@TempDir
	Path dir;

	@Test
	void sizeAndDigestAreComputedWhileWriting() throws Exception {
		FileReceiver receiver = receiver(
				ServerOptions.builder().uploads((u) -> u.withTmpPath(this.dir).withDigest(DigestAlgorithm.SHA_256)));
		assertThat(receiver.open(FileReceiver.MAX_HELD_BYTES + 1, () -> {
		})).isTrue();
		receiver.write(ByteBuffer.wrap("hello ".getBytes(StandardCharsets.US_ASCII)));
		ByteBuffer direct = ByteBuffer.allocateDirect(5).put("world".getBytes(StandardCharsets.US_ASCII)).flip();
		receiver.write(direct);
		List<String> done = new ArrayList<>();
		receiver.finish(() -> done.add("stored"));
		UploadedFile file = receiver.file();
		assertThat(done).containsExactly("stored");
		assertThat(file.size()).isEqualTo(11);
		assertThat(file.digestHex()).isEqualTo("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
		assertThat(Files.readString(file.path())).isEqualTo("hello world");
	}

	@Test
	void fileOverItsLimitIsRefusedWith413() throws Exception {
		FileReceiver receiver = receiver(
				ServerOptions.builder().uploads((u) -> u.withTmpPath(this.dir)).limits((l) -> l.withMaxFileBytes(4)));
		receiver.open(FileReceiver.MAX_HELD_BYTES + 1, () -> {
		});
		assertThatThrownBy(() -> receiver.write(ByteBuffer.wrap(new byte[5])))
			.isInstanceOfSatisfying(HttpException.class, (ex) -> assertThat(ex.status()).isEqualTo(413));
		receiver.discard();
		assertThat(Files.list(this.dir)).isEmpty();
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

	@Test
	void aMovedFileGetsTheModeOfANewFileOrTheOneAskedFor() throws Exception {
		Assumptions.assumeTrue(NewFileMode.POSIX, "POSIX permissions only");
		Path probe = Files.createFile(this.dir.resolve("probe"));
		UploadedFile file = upload("data");
		assertThat(Files.getPosixFilePermissions(file.path())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
		Path kept = file.moveTo(this.dir.resolve("kept.txt"));
		assertThat(Files.getPosixFilePermissions(kept)).isEqualTo(Files.getPosixFilePermissions(probe));
		UploadedFile other = upload("more");
		Path chosen = other.moveTo(this.dir.resolve("chosen.txt"), UploadedFile.Permissions.of("rw-r-----"));
		assertThat(Files.getPosixFilePermissions(chosen)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', nullValues = "NULL",
			value = { "C:\\x\\y.txt | y.txt", "../../etc/passwd | passwd", ".. | file", "'' | file", "NULL | file",
					".hidden | hidden", "a\u0000b\u0007c.txt | abc.txt", "dir/ | file",
					"r\u00e9sum\u00e9.pdf | r\u00e9sum\u00e9.pdf", "c:evil | cevil" })
	void safeFilenameIsTheLastSegmentWithoutTricks(String sent, String safe) throws Exception {
		UploadedFile file = new UploadedFile(new UploadTarget(1, "f", sent, "text/plain", -1),
				new LocalDiskStore(this.dir).create(new UploadTarget(1, "f", sent, "text/plain", -1)),
				DigestAlgorithm.NONE);
		assertThat(file.safeFilename()).isEqualTo(safe);
	}

	private UploadedFile upload(String content) throws Exception {
		FileReceiver receiver = receiver(
				ServerOptions.builder().uploads((u) -> u.withTmpPath(this.dir.resolve("tmp"))));
		receiver.open(FileReceiver.MAX_HELD_BYTES + 1, () -> {
		});
		receiver.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
		receiver.finish(() -> {
		});
		return receiver.file();
	}

	private static FileReceiver receiver(ServerOptions.Builder options) {
		ServerOptions built = options.build();
		BodyContext context = new BodyContext(built, new LocalDiskStore(built.uploads().tmpPath()), UploadListener.NONE,
				null);
		Request request = new Request(1, new RequestHead("POST", "/", 1, new Headers()),
				new RequestTarget("/", null, null), Map.of(), new InetSocketAddress(0), "127.0.0.1", 80, -1, null);
		return new FileReceiver(new TestBody(), context, request, new UploadTarget(1, "f", "x", "text/plain", -1),
				false);
	}

}
