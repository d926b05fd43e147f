package io.evhttp.resumable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Resumable uploads in one directory: {@code <id>.state}, a small text file replaced
 * atomically ({@link StateFile}), and {@code <id>.data}, the bytes, appended and forced
 * to disk before the state moves the offset on. After a crash the state is the truth:
 * bytes past its offset were never acknowledged and are dropped by the next append.
 *
 * <p>
 * Ids are 128 random bits in hex; anything else names no upload, so a request can never
 * reach a file outside the directory. Leases live in this process ({@link LocalLeases}):
 * one directory must be served by one process.
 */
public final class LocalResumableStore implements ResumableStore, LeaseTakeovers {

	private static final Logger log = Logger.getLogger(LocalResumableStore.class.getName());

	private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

	private final Path directory;

	private final SecureRandom random = new SecureRandom();

	private final LocalLeases leases = new LocalLeases();

	/**
	 * @throws UncheckedIOException naming the directory when it cannot be created
	 */
	public LocalResumableStore(Path directory) {
		this.directory = directory.toAbsolutePath();
		try {
			Files.createDirectories(this.directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create resumable upload directory " + this.directory, ex);
		}
	}

	@Override
	public long leaseTakeovers() {
		return this.leases.takeovers();
	}

	public Path directory() {
		return this.directory;
	}

	/** The file holding a complete upload's bytes. */
	public Path dataFile(String id) {
		return this.directory.resolve(checked(id) + ".data");
	}

	@Override
	public UploadInfo create(NewUpload upload) throws IOException {
		String id = newId();
		Path data = this.directory.resolve(id + ".data");
		long length = upload.length();
		try (FileChannel out = FileChannel.open(data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			for (String part : upload.parts()) {
				try (FileChannel in = FileChannel.open(dataFile(part), StandardOpenOption.READ)) {
					long size = in.size();
					for (long done = 0; done < size;) {
						done += in.transferTo(done, size - done, out);
					}
				}
			}
			if (!upload.parts().isEmpty()) {
				length = out.size();
			}
			out.force(true);
		}
		boolean concatenated = !upload.parts().isEmpty();
		UploadInfo info = new UploadInfo(id, length, concatenated ? length : 0, upload.metadata(), upload.expiresAt(),
				concatenated, upload.partial(), upload.parts());
		StateFile.write(stateFile(id), info);
		forceDirectory();
		return info;
	}

	@Override
	public UploadInfo read(String id) throws IOException {
		return isId(id) ? StateFile.read(stateFile(id)) : null;
	}

	@Override
	public UploadLease lease(String id, Duration wait) throws IOException, LeaseUnavailableException {
		if (!isId(id)) {
			return null;
		}
		LocalLeases.Holder holder = this.leases.acquire(id, wait);
		UploadInfo info;
		try {
			info = StateFile.read(stateFile(id));
		}
		catch (IOException | RuntimeException ex) {
			this.leases.release(id, holder);
			throw ex;
		}
		if (info == null) {
			this.leases.release(id, holder);
			return null;
		}
		return new LocalLease(this, holder, info);
	}

	@Override
	public URI location(String id) {
		return dataFile(id).toUri();
	}

	@Override
	public List<UploadInfo> expired(Instant now) throws IOException {
		List<UploadInfo> expired = new ArrayList<>();
		try (DirectoryStream<Path> states = Files.newDirectoryStream(this.directory, "*.state")) {
			for (Path state : states) {
				try {
					UploadInfo info = StateFile.read(state);
					if (info != null && info.expiresAt().isBefore(now)) {
						expired.add(info);
					}
				}
				catch (IOException ex) {
					log.log(Level.WARNING, "skipping unreadable upload state " + state, ex);
				}
			}
		}
		return expired;
	}

	// ---- for the lease and its appends

	Path stateFile(String id) {
		return this.directory.resolve(id + ".state");
	}

	void release(String id, LocalLeases.Holder holder) {
		this.leases.release(id, holder);
	}

	void delete(String id) throws IOException {
		Files.deleteIfExists(stateFile(id)); // first: without its state the upload is
												// gone
		Files.deleteIfExists(this.directory.resolve(id + ".data"));
	}

	private String newId() {
		byte[] bits = new byte[16];
		this.random.nextBytes(bits);
		return HexFormat.of().formatHex(bits);
	}

	private static boolean isId(String id) {
		return id != null && ID.matcher(id).matches();
	}

	private static String checked(String id) {
		if (!isId(id)) {
			throw new IllegalArgumentException("not an upload id: " + id);
		}
		return id;
	}

	/** Makes the new files' names durable (Linux); elsewhere a no-op. */
	private void forceDirectory() {
		try (FileChannel dir = FileChannel.open(this.directory, StandardOpenOption.READ)) {
			dir.force(true);
		}
		catch (IOException ex) {
			// not supported on this platform: the files themselves are forced
		}
	}

}
