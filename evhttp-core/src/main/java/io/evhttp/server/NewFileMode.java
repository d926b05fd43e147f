package io.evhttp.server;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * The permissions a file created by this process would get ({@code 0666} less the umask):
 * what a moved upload is given, since its temp file was created owner-only. Java cannot
 * read the umask, so a file is created once to see what it gets.
 */
final class NewFileMode {

	static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

	private static volatile Set<PosixFilePermission> probed;

	private NewFileMode() {
	}

	/** The permissions, or {@code null} off POSIX or when no file could be created. */
	static Set<PosixFilePermission> get() {
		Set<PosixFilePermission> mode = probed;
		if (mode == null && POSIX) {
			mode = probe(Path.of(System.getProperty("java.io.tmpdir")));
			probed = mode;
		}
		return mode;
	}

	static Set<PosixFilePermission> parse(String rwx) {
		return PosixFilePermissions.fromString(rwx);
	}

	private static Set<PosixFilePermission> probe(Path dir) {
		Path file = dir.resolve(".evhttp-mode-" + UUID.randomUUID());
		try {
			Files.createFile(file);
			return Set.copyOf(Files.getPosixFilePermissions(file));
		}
		catch (IOException | UnsupportedOperationException ex) {
			return null;
		}
		finally {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				// a probe left in the temp directory harms nobody
			}
		}
	}

}
