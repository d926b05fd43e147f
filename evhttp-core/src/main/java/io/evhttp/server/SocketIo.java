package io.evhttp.server;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The socket side of a connection: reads into the loop's buffer, the bytes waiting to be
 * written with the timestamps of writing them, interest in readiness, and closing,
 * gracefully or with a reset. Event loop only, but for {@link #isClosed()}.
 *
 * <p>
 * Under TLS, bytes go through a {@link TlsIo}: what is read and written here is plaintext
 * either way.
 */
final class SocketIo {

	private static final int MAX_DISCARDED_BYTES = 4 * 1024 * 1024;

	/**
	 * Most plaintext one read decrypts. Cleartext reads fill the whole buffer (4 MiB by
	 * default); under TLS, uploads ran slower and took more CPU per GiB with 4 MiB of
	 * plaintext per read than with 1 MiB.
	 */
	private static final int TLS_READ_BYTES = 1024 * 1024;

	private final SocketChannel channel;

	private final ConnectionTimes times;

	private final OutputQueue out;

	/** {@code null} in cleartext. */
	private final TlsIo tls;

	private SelectionKey key;

	private boolean wantRead = true;

	private volatile boolean closed;

	private long discarded;

	SocketIo(SocketChannel channel, ConnectionTimes times, TlsIo tls) {
		this.channel = channel;
		this.times = times;
		this.tls = tls;
		this.out = new OutputQueue((tls != null) ? tls::fileBuffer : null);
	}

	/** The TLS session, {@code null} in cleartext. */
	TlsIo tls() {
		return this.tls;
	}

	boolean isHandshaking() {
		return this.tls != null && this.tls.isHandshaking();
	}

	/** Whether the connection last asked to read. */
	boolean wantsRead() {
		return this.wantRead && !this.closed;
	}

	void attach(SelectionKey key) {
		this.key = key;
	}

	/** Whether the socket is closed; any thread. */
	boolean isClosed() {
		return this.closed;
	}

	/**
	 * Reads into {@code buf}, cleared first and flipped after: -1 at the end of input.
	 */
	int read(ByteBuffer buf) throws IOException {
		buf.clear();
		if (this.tls == null) {
			int n = this.channel.read(buf);
			buf.flip();
			return n;
		}
		buf.limit(Math.min(buf.capacity(), TLS_READ_BYTES));
		int n;
		try {
			n = this.tls.read(buf);
		}
		finally {
			buf.flip();
		}
		interest(this.wantRead); // the handshake may have changed what is waited for
		return n;
	}

	void enqueue(ByteBuffer buffer) {
		if (!this.closed) {
			this.out.add(buffer);
		}
	}

	/** Queues a file region; closes the file when the socket is gone already. */
	void enqueueFile(FileChannel file, long position, long count) {
		if (!this.closed) {
			this.out.addFile(file, position, count);
			return;
		}
		try {
			file.close();
		}
		catch (IOException ex) {
			// nothing was sent from it
		}
	}

	long queuedBytes() {
		return this.out.queuedBytes();
	}

	/** Drops what waits to be written (an error answer replaces it). */
	void clearOutput() {
		this.out.clear();
		if (this.tls != null) {
			this.tls.dropFileBytes();
		}
	}

	/**
	 * Writes what the socket takes now, noting when bytes start waiting for the client
	 * and how many it took since (for the response timeouts).
	 * @return whether nothing is left to write
	 */
	boolean write(long now) throws IOException {
		long written = this.out.writeTo((this.tls != null) ? this.tls : this.channel);
		ConnectionTimes t = this.times;
		if (written > 0) {
			t.lastWrite = now;
			t.writeBytes += written;
		}
		if (this.out.isEmpty() && (this.tls == null || this.tls.flush())) {
			if (this.tls != null) {
				this.tls.resumeHandshake();
			}
			t.writePending = false;
			return true;
		}
		if (!t.writePending) {
			t.writePending = true;
			t.lastWrite = now;
			t.writeStart = now;
			t.writeBytes = 0;
		}
		return false;
	}

	/** Asks for readability when {@code read}, and for writability while bytes wait. */
	void interest(boolean read) {
		this.wantRead = read;
		if (this.closed || this.key == null || !this.key.isValid()) {
			return;
		}
		boolean writing = !this.out.isEmpty();
		if (this.tls != null) {
			writing |= this.tls.hasPendingOutput();
			if (read) {
				this.tls.scheduleReadIfBuffered();
			}
			read &= !this.tls.isBusy();
		}
		int ops = (read ? SelectionKey.OP_READ : 0) | (writing ? SelectionKey.OP_WRITE : 0);
		int current = this.key.interestOps();
		if (current != ops && !(this.tls == null && current == (ops | SelectionKey.OP_READ))) {
			this.key.interestOps(ops);
		}
	}

	/**
	 * Stops asking for readability, which {@link #interest} leaves on in cleartext when
	 * reading merely pauses: a request handled and answered before the client sends again
	 * then changes no interest at all (each change is queued to the selector under its
	 * lock), and the socket turning readable while reading waits removes it here.
	 */
	void dropReadInterest() {
		if (!this.closed && this.key != null && this.key.isValid()) {
			this.key.interestOps(this.key.interestOps() & ~SelectionKey.OP_READ);
		}
	}

	/**
	 * Sends FIN after what was written: the client sees the answer end.
	 * @return whether the socket could be shut down for output
	 */
	boolean shutdownOutput() {
		if (this.tls != null) {
			this.tls.closeOutbound();
		}
		try {
			this.channel.shutdownOutput();
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Drops input read after a refused request's answer.
	 * @return whether more may be dropped; past {@link #MAX_DISCARDED_BYTES} the client
	 * only wastes the server's time
	 */
	boolean discard(ByteBuffer buf) {
		this.discarded += buf.remaining();
		buf.position(buf.limit());
		return this.discarded <= MAX_DISCARDED_BYTES;
	}

	/**
	 * Makes {@link #close} reset the connection instead of leaving the kernel to trickle
	 * what its send buffer still holds to a client that does not read.
	 */
	void resetOnClose() {
		try {
			this.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	void close() {
		if (this.closed) {
			return;
		}
		if (this.tls != null) {
			this.tls.closeOutbound();
		}
		this.closed = true;
		this.out.clear();
		if (this.key != null) {
			this.key.cancel();
		}
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
