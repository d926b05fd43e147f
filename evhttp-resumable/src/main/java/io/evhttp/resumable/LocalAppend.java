package io.evhttp.resumable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends to an upload's data file straight from the loop's buffer (a local write of one
 * read buffer, as the core's disk store does), and forces the file to disk before the
 * state is told of the new offset.
 */
final class LocalAppend implements UploadAppend {

	private final LocalLease lease;

	private final FileChannel channel;

	private final long start;

	private long written;

	private boolean ended;

	LocalAppend(LocalLease lease, Path file, long start) throws IOException {
		this.lease = lease;
		this.start = start;
		this.channel = FileChannel.open(file, StandardOpenOption.WRITE);
		try {
			if (this.channel.size() > start) {
				this.channel.truncate(start); // bytes nobody acknowledged
			}
			this.channel.position(start);
		}
		catch (IOException ex) {
			this.channel.close();
			throw ex;
		}
	}

	@Override
	public boolean write(ByteBuffer data) throws IOException {
		while (data.hasRemaining()) {
			this.written += this.channel.write(data);
		}
		return true;
	}

	@Override
	public void onReady(Runnable ready) {
		ready.run();
	}

	@Override
	public long written() {
		return this.written;
	}

	@Override
	public UploadInfo commit() throws IOException {
		if (this.ended) {
			return this.lease.info();
		}
		this.ended = true;
		try (FileChannel ch = this.channel) {
			if (this.written > 0) {
				ch.force(false);
			}
		}
		return (this.written > 0) ? this.lease.committed(this.start + this.written) : this.lease.info();
	}

	@Override
	public void discard() throws IOException {
		if (this.ended) {
			return;
		}
		this.ended = true;
		try (FileChannel ch = this.channel) {
			ch.truncate(this.start);
		}
	}

}
