package io.evhttp.upload;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The store that writes uploads to files in a local directory ({@code tmp-path}) as they
 * arrive, from the read buffer with no copy onto the heap.
 *
 * <p>
 * Names are {@code evhttp-PID-RANDOM.upload}, 128 bits that cannot be guessed (see
 * {@link FileNames}), and created with {@code CREATE_NEW}, owner-only, so no other file
 * is ever opened or replaced. A client's filename never reaches a path. The process id in
 * the name lets {@link #sweep} remove leftovers of a crashed run without touching the
 * files of another live server sharing the directory, or anything this server did not
 * create. When an outside cleaner removes the directory, the next upload re-creates it.
 */
public final class LocalDiskStore implements UploadStore {

	private static final Pattern NAME = Pattern.compile("evhttp-(\\d+)-[0-9a-f]{32}\\.upload");

	private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

	private static final Set<PosixFilePermission> DIR_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

	private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");

	private final Path directory;

	private final File directoryFile;

	/** Made once: each copies its set, and this runs for every upload. */
	private static final FileAttribute<?>[] FILE_ATTRIBUTES = POSIX
			? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS) }
			: new FileAttribute<?>[0];

	private static final Set<StandardOpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW,
			StandardOpenOption.WRITE);

	private final FileNames names = new FileNames("evhttp-" + ProcessHandle.current().pid() + "-", ".upload");

	/**
	 * Opens the store, creating the directory (owner-only) when needed.
	 * @throws IllegalStateException naming the directory when it cannot be created or
	 * written
	 */
	public LocalDiskStore(Path directory) {
		this.directory = directory.toAbsolutePath().normalize();
		this.directoryFile = this.directory.toFile();
		try {
			createDirectory();
			Path probe = newFile();
			Files.delete(probe);
		}
		catch (IOException | UncheckedIOException ex) {
			throw new IllegalStateException("tmp-path " + this.directory + " cannot be created or written: " + ex, ex);
		}
	}

	public Path directory() {
		return this.directory;
	}

	/**
	 * No: creating a file is kernel work on the loop's own CPU, as writing it is. On a
	 * file thread, with the hand-over there and back, a small upload cost twice the CPU
	 * (see docs/BENCHMARKS.md, "form").
	 */
	@Override
	public boolean createMayBlock() {
		return false;
	}

	/** Creates a new empty file, owner-only, and opens it for writing. */
	@Override
	public UploadSink create(UploadTarget target) throws IOException {
		Path path = this.directory.resolve(nextName());
		return new LocalFileSink(path, openCreatingDirectory(path));
	}

	private static FileChannel open(Path path) throws IOException {
		return FileChannel.open(path, CREATE_NEW, FILE_ATTRIBUTES);
	}

	private FileChannel openCreatingDirectory(Path path) throws IOException {
		try {
			return open(path);
		}
		catch (NoSuchFileException ex) {
			createDirectory();
			return open(path);
		}
	}

	/** Leftovers of crashed servers, never this one's or another live one's. */
	@Override
	public int sweep() {
		return sweep(false);
	}

	/**
	 * Deletes the files this kind of server created and whose process is gone, or all of
	 * them with {@code includeOwn} (at shutdown). Nothing else in the directory is
	 * touched.
	 * @return how many files were deleted
	 */
	public int sweep(boolean includeOwn) {
		int deleted = 0;
		long self = ProcessHandle.current().pid();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory)) {
			for (Path file : files) {
				Matcher m = NAME.matcher(file.getFileName().toString());
				if (!m.matches()) {
					continue;
				}
				long pid = Long.parseLong(m.group(1));
				boolean own = pid == self;
				boolean orphan = !own && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
				if ((own && includeOwn) || orphan) {
					deleted += Files.deleteIfExists(file) ? 1 : 0;
				}
			}
		}
		catch (NoSuchFileException ex) {
			return 0;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return deleted;
	}

	/**
	 * Usable bytes on the directory's file system. One {@code statvfs} call:
	 * {@code Files.getFileStore} would read the whole mount table each time (80 µs with
	 * 20 mounts), and this runs for every upload.
	 */
	@Override
	public long usableSpace() throws IOException {
		long usable = this.directoryFile.getUsableSpace();
		if (usable == 0 && !this.directoryFile.isDirectory()) {
			createDirectory();
			usable = this.directoryFile.getUsableSpace();
		}
		return usable;
	}

	private Path newFile() throws IOException {
		Path path = this.directory.resolve(nextName());
		openCreatingDirectory(path).close();
		return path;
	}

	private String nextName() {
		return this.names.next();
	}

	private void createDirectory() throws IOException {
		if (Files.isDirectory(this.directory)) {
			return;
		}
		if (POSIX) {
			Files.createDirectories(this.directory, PosixFilePermissions.asFileAttribute(DIR_PERMISSIONS));
		}
		else {
			Files.createDirectories(this.directory);
		}
	}

}
