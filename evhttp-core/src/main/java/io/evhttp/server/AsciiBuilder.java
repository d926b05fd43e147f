package io.evhttp.server;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Builds a response head as bytes without intermediate Strings. Headers are ISO-8859-1.
 */
final class AsciiBuilder {

	private byte[] bytes;

	private int length;

	AsciiBuilder(int capacity) {
		this.bytes = new byte[capacity];
	}

	AsciiBuilder append(String s) {
		int n = s.length();
		ensure(n);
		for (int i = 0; i < n; i++) {
			this.bytes[this.length++] = (byte) s.charAt(i);
		}
		return this;
	}

	AsciiBuilder append(byte[] b) {
		return append(b, 0, b.length);
	}

	AsciiBuilder append(byte[] b, int off, int len) {
		ensure(len);
		System.arraycopy(b, off, this.bytes, this.length, len);
		this.length += len;
		return this;
	}

	AsciiBuilder append(long n) {
		return append(Long.toString(n));
	}

	AsciiBuilder crlf() {
		ensure(2);
		this.bytes[this.length++] = '\r';
		this.bytes[this.length++] = '\n';
		return this;
	}

	ByteBuffer toBuffer() {
		return ByteBuffer.wrap(this.bytes, 0, this.length);
	}

	private void ensure(int n) {
		if (this.length + n > this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.length + n));
		}
	}

}
