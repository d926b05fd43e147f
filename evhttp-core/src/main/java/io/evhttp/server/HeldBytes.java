package io.evhttp.server;

import java.nio.ByteBuffer;

/**
 * Body bytes read while a file is being created, kept until it is open. Holding means
 * copying the loop's read buffer, so {@link FileReceiver} holds only a few: a file with
 * more bytes waiting behind it is created at once instead.
 */
final class HeldBytes {

	private ByteBuffer held;

	/** Keeps the rest of {@code data}, advancing its position to its limit. */
	void hold(ByteBuffer data) {
		int n = data.remaining();
		if (n == 0) {
			return;
		}
		if (this.held == null) {
			this.held = ByteBuffer.allocate(n);
		}
		else if (this.held.remaining() < n) {
			ByteBuffer bigger = ByteBuffer.allocate(this.held.position() + n);
			this.held.flip();
			bigger.put(this.held);
			this.held = bigger;
		}
		this.held.put(data);
	}

	/** Takes the bytes held so far, ready to read, or {@code null}. */
	ByteBuffer take() {
		ByteBuffer bytes = this.held;
		this.held = null;
		return (bytes != null) ? bytes.flip() : null;
	}

	void clear() {
		this.held = null;
	}

}
