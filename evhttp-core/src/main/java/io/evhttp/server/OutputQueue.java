package io.evhttp.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Bytes waiting to be written to one connection: buffers and file regions, in order.
 * Buffers go out with gathering writes, files with {@link FileChannel#transferTo}
 * (sendfile), or under TLS, read into one reused buffer and encrypted. Event loop only.
 */
final class OutputQueue {

	private static final int MAX_GATHER = 16;

	/**
	 * A file region: sent from {@code position} for {@code remaining} bytes, then closed.
	 */
	private static final class FileRegion {

		final FileChannel file;

		long position;

		long remaining;

		FileRegion(FileChannel file, long position, long remaining) {
			this.file = file;
			this.position = position;
			this.remaining = remaining;
		}

	}

	private final ArrayDeque<Object> items = new ArrayDeque<>();

	private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];

	private long queuedBytes;

	/**
	 * Under TLS, gives the buffer (read mode) file bytes are copied through, kept between
	 * calls; {@code null}: files go out with {@code transferTo}.
	 */
	private final Supplier<ByteBuffer> fileBuffer;

	OutputQueue(Supplier<ByteBuffer> fileBuffer) {
		this.fileBuffer = fileBuffer;
	}

	void add(ByteBuffer buffer) {
		if (buffer.hasRemaining()) {
			this.items.add(buffer);
			this.queuedBytes += buffer.remaining();
		}
	}

	void addFile(FileChannel file, long position, long count) {
		this.items.add(new FileRegion(file, position, count));
		this.queuedBytes += count;
	}

	boolean isEmpty() {
		return this.items.isEmpty();
	}

	long queuedBytes() {
		return this.queuedBytes;
	}

	/**
	 * Writes as much as {@code channel} takes.
	 * @return bytes written
	 */
	long writeTo(GatheringByteChannel channel) throws IOException {
		long total = 0;
		while (!this.items.isEmpty()) {
			Object head = this.items.peek();
			long written;
			boolean drained;
			if (head instanceof FileRegion region) {
				written = (this.fileBuffer != null) ? copy(region, this.fileBuffer.get(), channel)
						: region.file.transferTo(region.position, region.remaining, channel);
				region.position += written;
				region.remaining -= written;
				drained = region.remaining == 0;
				if (drained) {
					this.items.poll();
					region.file.close();
				}
				else if (written == 0 && region.position >= region.file.size()) {
					throw new IOException("file shrank while being sent");
				}
			}
			else {
				int n = 0;
				for (Object item : this.items) {
					if (!(item instanceof ByteBuffer b) || n == MAX_GATHER) {
						break;
					}
					this.gather[n++] = b;
				}
				written = (n == 1) ? channel.write(this.gather[0]) : channel.write(this.gather, 0, n);
				drained = !this.gather[n - 1].hasRemaining();
				while (!this.items.isEmpty() && this.items.peek() instanceof ByteBuffer b && !b.hasRemaining()) {
					this.items.poll();
				}
				java.util.Arrays.fill(this.gather, 0, n, null);
			}
			total += written;
			this.queuedBytes -= written;
			if (!drained) {
				break;
			}
		}
		return total;
	}

	/**
	 * Writes the file's next bytes through {@code buffer}, which holds those read and not
	 * yet taken from {@code region.position} on.
	 */
	private static long copy(FileRegion region, ByteBuffer buffer, GatheringByteChannel channel) throws IOException {
		if (!buffer.hasRemaining()) {
			buffer.clear().limit((int) Math.min(buffer.capacity(), region.remaining));
			int n = region.file.read(buffer, region.position);
			buffer.flip();
			if (n <= 0) {
				return 0; // shrank: reported by the caller
			}
		}
		return channel.write(buffer);
	}

	/** Drops everything queued, closing files. */
	void clear() {
		for (Object item : this.items) {
			if (item instanceof FileRegion region) {
				try {
					region.file.close();
				}
				catch (IOException ex) {
					// closing on the way out: nothing to recover
				}
			}
		}
		this.items.clear();
		this.queuedBytes = 0;
	}

}
