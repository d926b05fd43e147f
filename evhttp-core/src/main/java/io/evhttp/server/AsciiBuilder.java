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

	/** Appends the low byte of each char: callers hand ASCII or Latin-1 field text. */
	@SuppressWarnings("deprecation") // the one copy of a Latin-1 string's bytes without
										// allocating
	AsciiBuilder append(String s) {
		int n = s.length();
		ensure(n);
		s.getBytes(0, n, this.bytes, this.length);
		this.length += n;
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

	/**
	 * A non-negative number in decimal, written in place (a String per response
	 * otherwise).
	 */
	AsciiBuilder append(long n) {
		if (n < 0) {
			return append(Long.toString(n));
		}
		int digits = 1;
		for (long rest = n / 10; rest > 0; rest /= 10) {
			digits++;
		}
		ensure(digits);
		for (int i = this.length + digits - 1; i >= this.length; i--) {
			this.bytes[i] = (byte) ('0' + n % 10);
			n /= 10;
		}
		this.length += digits;
		return this;
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
