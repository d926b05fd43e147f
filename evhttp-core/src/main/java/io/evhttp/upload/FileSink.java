package io.evhttp.upload;

import io.evhttp.http.HttpException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Writes one upload from the read buffer straight into its temp file with
 * {@link FileChannel#write}: no copy onto the heap, no buffer of the whole file. Counts
 * the size against {@code maxBytes} and updates the digest as bytes pass.
 */
public final class FileSink {

	private final FileChannel channel;

	private final UploadedFile file;

	private final MessageDigest digest;

	private final long maxBytes;

	private MessageDigest verifier;

	private byte[] expected;

	private String expectedFrom;

	private FileSink(FileChannel channel, UploadedFile file, long maxBytes) {
		this.channel = channel;
		this.file = file;
		this.digest = file.digestAlgorithm().newDigest();
		this.maxBytes = maxBytes;
	}

	/**
	 * Creates a temp file for an upload.
	 * @param maxBytes largest size accepted, or -1 for no limit
	 */
	public static FileSink open(TempFileStore store, String field, String filename, String contentType,
			DigestAlgorithm digest, long maxBytes) throws IOException {
		Path[] created = new Path[1];
		FileChannel channel = store.create(created);
		return new FileSink(channel, new UploadedFile(field, filename, contentType, created[0], digest), maxBytes);
	}

	public UploadedFile file() {
		return this.file;
	}

	/**
	 * Checks the file against a digest the client sent ({@code Content-Digest},
	 * {@code Content-MD5}); {@link #finish()} fails with 400 when they differ. Call
	 * before the first write.
	 * @param from the header it came from, for the error
	 */
	public void verify(DigestAlgorithm algorithm, byte[] expected, String from) {
		this.verifier = (algorithm == this.file.digestAlgorithm()) ? null : algorithm.newDigest();
		this.expected = expected.clone();
		this.expectedFrom = from;
	}

	/**
	 * Writes all of {@code data}, advancing its position to its limit.
	 * @throws HttpException (413) when the file would exceed its limit
	 */
	public void write(ByteBuffer data) throws IOException {
		int n = data.remaining();
		if (this.maxBytes >= 0 && this.file.size() + n > this.maxBytes) {
			throw new HttpException(413, "file over " + this.maxBytes + " bytes");
		}
		if (this.digest != null) {
			int pos = data.position();
			this.digest.update(data);
			data.position(pos);
		}
		if (this.verifier != null) {
			int pos = data.position();
			this.verifier.update(data);
			data.position(pos);
		}
		while (data.hasRemaining()) {
			this.channel.write(data);
		}
		this.file.grow(n);
	}

	/**
	 * Closes the file once all its bytes are written, fixing size and digest.
	 * @throws HttpException (400) when a digest the client sent does not match; the file
	 * is deleted
	 */
	public UploadedFile finish() throws IOException {
		this.channel.close();
		byte[] computed = (this.digest != null) ? this.digest.digest() : null;
		this.file.complete(computed);
		if (this.expected != null) {
			byte[] actual = (this.verifier != null) ? this.verifier.digest() : computed;
			if (!MessageDigest.isEqual(this.expected, actual)) {
				this.file.deleteIfTemporary();
				throw new HttpException(400, this.expectedFrom + " does not match the bytes received");
			}
		}
		return this.file;
	}

	/** Closes and deletes the file after a failure. Never throws. */
	public void abort() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// nothing more to do: the file is deleted next
		}
		this.file.deleteIfTemporary();
	}

}
