package io.evhttp.server;

import io.evhttp.upload.DigestAlgorithm;
import io.evhttp.upload.UploadSink;
import io.evhttp.upload.UploadTarget;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * A file received in a request body, stored by the server's
 * {@link io.evhttp.upload.UploadStore} (by default a file in {@code tmp-path}). It is
 * removed when its request ends, unless {@link #moveTo moved} first.
 *
 * <p>
 * Size and digest grow while the file arrives (read them in callbacks for progress) and
 * are final once the file is received. Thread-safe for reading; {@code moveTo} and
 * {@code delete} are meant for one thread at a time.
 */
public final class UploadedFile {

	/** Extra option of {@link #moveTo}. */
	public enum MoveOption implements CopyOption {

		/**
		 * Force the file's bytes and the new directory entry to disk before returning.
		 */
		SYNC

	}

	/**
	 * Option of {@link #moveTo}: the POSIX permissions the moved file gets, instead of
	 * those of a new file of this process ({@code 0666} less the umask).
	 *
	 * @param permissions the permissions
	 */
	public record Permissions(Set<PosixFilePermission> permissions) implements CopyOption {

		public Permissions {
			permissions = Set.copyOf(permissions);
		}

		/** Permissions written as {@code ls} does: {@code rw-r-----}. */
		public static Permissions of(String rwx) {
			return new Permissions(NewFileMode.parse(rwx));
		}

	}

	private final String field;

	private final String filename;

	private final String contentType;

	private final DigestAlgorithm digestAlgorithm;

	private volatile Path path;

	private volatile long size;

	private volatile byte[] digest;

	private volatile boolean moved;

	/** Where {@link #keep} or {@link #keepAs} left it; {@code null} while temporary. */
	private volatile URI kept;

	private final UploadSink sink;

	UploadedFile(UploadTarget target, UploadSink sink, DigestAlgorithm digestAlgorithm) {
		this.field = target.field();
		this.filename = target.filename();
		this.contentType = target.contentType();
		this.sink = sink;
		this.path = sink.path();
		this.digestAlgorithm = digestAlgorithm;
	}

	/** Form field name, empty for a raw request body. */
	public String field() {
		return this.field;
	}

	/**
	 * File name as the client sent it (perhaps a path such as {@code C:\x\y.txt}, perhaps
	 * empty). {@code filename*} is decoded and wins over {@code filename}. A quoted
	 * {@code filename} is unquoted as RFC 9110 §5.6.4 says: {@code \"} and {@code \\}
	 * stand for {@code "} and {@code \} ({@code "say \"hi\".txt"} is
	 * {@code say "hi".txt}), while a backslash before any other character is kept, and so
	 * is every backslash of a value with such a lone one and no {@code \"}, so that a
	 * Windows path sent raw ({@code C:\Users\me\a.txt}, {@code \\server\share\x.doc})
	 * arrives intact. A browser's {@code %22} for a quote is kept as sent.
	 */
	public String filename() {
		return this.filename;
	}

	/**
	 * Last path segment of {@link #filename()}, without control characters and never
	 * {@code .}, {@code ..} or empty ({@code "file"} then): safe as a name inside a
	 * directory of yours.
	 */
	public String safeFilename() {
		String name = (this.filename != null) ? this.filename : "";
		int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
		name = name.substring(cut + 1);
		StringBuilder sb = new StringBuilder(name.length());
		name.codePoints()
			.filter((c) -> c >= 0x20 && c != 0x7F && c != ':' && !Character.isISOControl(c))
			.forEach(sb::appendCodePoint);
		String safe = sb.toString().strip();
		while (safe.startsWith(".")) {
			safe = safe.substring(1);
		}
		return safe.isEmpty() ? "file" : safe;
	}

	/**
	 * Content type of the part as sent (even when it is not a valid media type),
	 * {@code text/plain} when the part had none.
	 */
	public String contentType() {
		return this.contentType;
	}

	/** Bytes written so far; the whole size once received. */
	public long size() {
		return this.size;
	}

	/**
	 * Where the file lives: a {@code file:} URI in {@code tmp-path}, or an object's URL
	 * in a remote store.
	 */
	public URI location() {
		Path local = this.path;
		URI keptAt = this.kept;
		return (local != null) ? local.toUri() : (keptAt != null) ? keptAt : this.sink.location();
	}

	/**
	 * What the store tells of the stored file beyond its location: for an object in S3,
	 * {@code bucket}, {@code key} and {@code etag}; empty for a local file.
	 */
	public Map<String, String> storeAttributes() {
		return this.sink.attributes();
	}

	/**
	 * Where the file is now, in {@code tmp-path} or where it was moved; {@code null} when
	 * the store keeps no local file.
	 */
	public Path path() {
		return this.path;
	}

	public DigestAlgorithm digestAlgorithm() {
		return this.digestAlgorithm;
	}

	/**
	 * Digest of the whole file in lower-case hex, or {@code null} (none configured, or
	 * not yet complete).
	 */
	public String digestHex() {
		byte[] d = this.digest;
		return (d != null) ? HexFormat.of().formatHex(d) : null;
	}

	/** Digest bytes, or {@code null}. */
	public byte[] digest() {
		byte[] d = this.digest;
		return (d != null) ? d.clone() : null;
	}

	/** Whether {@link #moveTo} took the file out of {@code tmp-path}. */
	public boolean isMoved() {
		return this.moved;
	}

	/** Whether the file outlives its request: kept, or moved. */
	public boolean isKept() {
		return this.kept != null || this.moved;
	}

	/**
	 * Keeps the file where the store put it (in {@code tmp-path}, or the object at its
	 * unguessable key), so that it is no longer removed with its request. Free: nothing
	 * is copied. Once the file is received.
	 * @return where it lives
	 */
	public synchronized URI keep() throws IOException {
		if (isKept()) {
			return location();
		}
		this.kept = this.sink.keep(null);
		return this.kept;
	}

	/**
	 * Keeps the file under {@code name}, replacing what is there: for a local file the
	 * path to {@linkplain #moveTo move} it to, for an object in S3 the key it is copied
	 * to inside the bucket by S3 itself (never downloaded), the temporary object then
	 * being removed. Once the file is received; blocking.
	 * @return where it lives now
	 */
	public synchronized URI keepAs(String name) throws IOException {
		if (isKept()) {
			throw new IllegalStateException("already kept at " + location());
		}
		if (this.path != null) {
			return moveTo(Path.of(name), StandardCopyOption.REPLACE_EXISTING).toUri();
		}
		this.kept = this.sink.keep(name);
		return this.kept;
	}

	/** Opens the file for reading; a local file only. */
	public InputStream inputStream() throws IOException {
		return Files.newInputStream(localPath());
	}

	/**
	 * Moves the file to {@code target}: an atomic rename when on the same file system, a
	 * copy otherwise. An existing target is kept (the call fails) unless
	 * {@link StandardCopyOption#REPLACE_EXISTING} is given; {@link MoveOption#SYNC}
	 * forces the bytes and the directory entry to disk. The moved file gets the
	 * permissions of a new file of this process (its temp file was owner-only), or those
	 * a {@link Permissions} option names. Once moved, the file is no longer deleted with
	 * its request.
	 * @throws FileAlreadyExistsException when the target exists and may not be replaced
	 */
	public synchronized Path moveTo(Path target, CopyOption... options) throws IOException {
		if (isKept()) {
			throw new IllegalStateException("already kept at " + location());
		}
		localPath();
		boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
		boolean sync = Arrays.asList(options).contains(MoveOption.SYNC);
		if (sync) {
			try (FileChannel ch = FileChannel.open(this.path, StandardOpenOption.WRITE)) {
				ch.force(true);
			}
		}
		if (replace) {
			try {
				Files.move(this.path, target, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(this.path, target, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		else {
			moveWithoutReplacing(target);
		}
		// the temp file was created owner-only; a kept file gets what a new file would
		applyPermissions(target, options);
		if (sync) {
			syncDirectory(target.toAbsolutePath().getParent());
		}
		this.path = target;
		this.moved = true;
		return target;
	}

	private static void applyPermissions(Path target, CopyOption... options) throws IOException {
		for (CopyOption option : options) {
			if (option instanceof Permissions chosen) {
				Files.setPosixFilePermissions(target, chosen.permissions());
				return;
			}
		}
		Set<PosixFilePermission> mode = NewFileMode.get();
		if (mode != null) {
			try {
				Files.setPosixFilePermissions(target, mode);
			}
			catch (UnsupportedOperationException ex) {
				// moved to a file system without POSIX permissions: it has its own rules
			}
		}
	}

	private void moveWithoutReplacing(Path target) throws IOException {
		try {
			// a hard link fails when the target exists: no window in which it could be
			// replaced
			Files.createLink(target, this.path);
			Files.delete(this.path);
		}
		catch (FileAlreadyExistsException ex) {
			throw ex;
		}
		catch (UnsupportedOperationException | FileSystemException ex) {
			Files.copy(this.path, target);
			Files.delete(this.path);
		}
	}

	private static void syncDirectory(Path dir) {
		if (dir == null) {
			return;
		}
		try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
			ch.force(true);
		}
		catch (IOException ex) {
			// some file systems cannot open a directory for sync; the file itself was
			// forced
		}
	}

	/** Removes the file from its store unless it was moved or kept. */
	public void deleteIfTemporary() {
		if (!isKept()) {
			this.sink.discard();
		}
	}

	private Path localPath() {
		if (this.path == null) {
			throw new UnsupportedOperationException("stored at " + this.sink.location() + ", not in a local file");
		}
		return this.path;
	}

	void grow(long bytes) {
		this.size += bytes;
	}

	void complete(byte[] digest) {
		this.digest = digest;
	}

	@Override
	public String toString() {
		return "UploadedFile[field=" + this.field + ", filename=" + this.filename + ", size=" + this.size + "]";
	}

}
