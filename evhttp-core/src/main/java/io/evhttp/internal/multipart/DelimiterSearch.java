package io.evhttp.internal.multipart;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds a multipart delimiter ({@code CRLF "--" boundary}) in buffers with a
 * Boyer-Moore-Horspool skip table, and carries a match cut by the end of a buffer over to
 * the next as one int.
 *
 * <p>
 * No method changes a buffer's position or limit: they read with absolute gets between
 * the indices given. Because a boundary holds no CR, a CR appears in the pattern only at
 * index 0, so a partial match that fails never hides a match starting inside it.
 */
final class DelimiterSearch {

	private final byte[] pattern;

	/**
	 * Shift per byte value. Bytes, not ints: a boundary has at most 70 characters, so a
	 * shift is at most 74, and the table made for every request is 256 bytes, not 1 KiB.
	 */
	private final byte[] skip = new byte[256];

	DelimiterSearch(String boundary) {
		this.pattern = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
		if (this.pattern.length > Byte.MAX_VALUE) {
			throw new IllegalArgumentException("boundary over 70 characters");
		}
		int last = this.pattern.length - 1;
		Arrays.fill(this.skip, (byte) this.pattern.length);
		for (int i = 0; i < last; i++) {
			this.skip[this.pattern[i] & 0xFF] = (byte) (last - i);
		}
		// find reads a full-length shift as "absent from the delimiter"; the last byte,
		// when it occurs nowhere else, gets a shorter shift, which is still safe
		int end = this.pattern[last] & 0xFF;
		if (this.skip[end] == this.pattern.length) {
			this.skip[end] = (byte) last;
		}
	}

	int length() {
		return this.pattern.length;
	}

	byte[] pattern() {
		return this.pattern;
	}

	/**
	 * Index of the first whole delimiter in {@code buf[from, to)}, or -1.
	 *
	 * <p>
	 * Horspool reads one byte per window, and each read depends on the shift the last one
	 * gave. Where two windows in a row end on a byte absent from the delimiter (most
	 * windows, in file data), both are ruled out at once: the two reads are independent,
	 * so their latencies overlap.
	 */
	int find(ByteBuffer buf, int from, int to) {
		byte[] p = this.pattern;
		int m = p.length;
		int last = m - 1;
		int i = from;
		while (i + m + last < to) {
			if (this.skip[buf.get(i + last) & 0xFF] == m && this.skip[buf.get(i + m + last) & 0xFF] == m) {
				i += 2 * m;
				continue;
			}
			int step = probe(buf, i);
			if (step == 0) {
				return i;
			}
			i += step;
		}
		while (i + last < to) {
			int step = probe(buf, i);
			if (step == 0) {
				return i;
			}
			i += step;
		}
		return -1;
	}

	/**
	 * Checks the window at {@code i}: 0 when the delimiter is there, else the Horspool
	 * shift.
	 */
	private int probe(ByteBuffer buf, int i) {
		byte[] p = this.pattern;
		int last = p.length - 1;
		byte b = buf.get(i + last);
		if (b == p[last]) {
			int j = last - 1;
			while (j >= 0 && buf.get(i + j) == p[j]) {
				j--;
			}
			if (j < 0) {
				return 0;
			}
		}
		return this.skip[b & 0xFF];
	}

	/**
	 * Length of the longest tail of {@code buf[from, to)} that begins the delimiter, or
	 * 0. Call it after {@link #find} returned -1 for the same range.
	 */
	int partialAtEnd(ByteBuffer buf, int from, int to) {
		int max = Math.min(this.pattern.length - 1, to - from);
		for (int k = max; k > 0; k--) {
			if (buf.get(to - k) == '\r' && startsWith(buf, to - k, to, 0)) {
				return k;
			}
		}
		return 0;
	}

	/**
	 * Continues a partial match of {@code matched} bytes with {@code buf[from, to)}.
	 * @return the new match length (equal to {@link #length()} when complete; less when
	 * the buffer ended first), or -1 when the bytes do not continue the delimiter
	 */
	int continueMatch(int matched, ByteBuffer buf, int from, int to) {
		int n = Math.min(this.pattern.length - matched, to - from);
		return startsWith(buf, from, from + n, matched) ? matched + n : -1;
	}

	private boolean startsWith(ByteBuffer buf, int from, int to, int patternOffset) {
		for (int i = from, j = patternOffset; i < to; i++, j++) {
			if (buf.get(i) != this.pattern[j]) {
				return false;
			}
		}
		return true;
	}

}
