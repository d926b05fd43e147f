package io.evhttp.upload;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One upload's file in {@code tmp-path}: bytes go from the read buffer to the file with
 * {@link FileChannel#write}, so it always takes more at once.
 */
final class LocalFileSink implements UploadSink {

	private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

	private final Path path;

	private final FileChannel channel;

	LocalFileSink(Path path, FileChannel channel) {
		this.path = path;
		this.channel = channel;
	}

	@Override
	public URI location() {
		return this.path.toUri();
	}

	@Override
	public Path path() {
		return this.path;
	}

	/** Kept where it is; a name is a path to move it to (see UploadedFile#moveTo). */
	@Override
	public URI keep(String name) throws IOException {
		if (name != null) {
			throw new UnsupportedOperationException("move a local file with UploadedFile.moveTo");
		}
		return location();
	}

	@Override
	public boolean write(ByteBuffer data) throws IOException {
		while (data.hasRemaining()) {
			this.channel.write(data);
		}
		return true;
	}

	@Override
	public CompletionStage<Void> finish() {
		try {
			this.channel.close();
			return DONE;
		}
		catch (IOException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public void discard() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// deleted next all the same
		}
		// a file that stays is swept at shutdown or at the next start
		if (this.path.getFileSystem() == FileSystems.getDefault()) {
			// one unlink: Files.deleteIfExists would stat the path first, to choose
			// between unlink and rmdir
			this.path.toFile().delete();
			return;
		}
		try {
			Files.deleteIfExists(this.path);
		}
		catch (IOException ex) {
			// swept later
		}
	}

}
