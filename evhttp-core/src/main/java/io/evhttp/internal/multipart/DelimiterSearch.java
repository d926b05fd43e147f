package io.evhttp.internal.multipart;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds a multipart delimiter ({@code CRLF "--" boundary}) in buffers, and carries a
 * match cut by the end of a buffer over to the next as one int.
 *
 * <p>
 * The search is Boyer-Moore-Horspool with a filter in front: in a window whose last two
 * bytes are not a pair of consecutive delimiter bytes, no delimiter starts before the
 * last byte, so the search moves on by the delimiter's length less one. One byte alone
 * rules out far fewer windows: with a 46-character boundary, one random byte in eight
 * occurs in the delimiter, one random pair in ninety among its pairs; in text, letters
 * and digits of the boundary are common, their pairs much less so.
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

	/**
	 * One bit per hashed pair of bytes ({@link #pair}), set for each pair of consecutive
	 * delimiter bytes: at most 73 of 4,096 bits, so few pairs absent from the delimiter
	 * share a bit with one present.
	 */
	private final long[] pairs = new long[64];

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
		for (int i = 1; i < this.pattern.length; i++) {
			int h = pair(this.pattern[i - 1], this.pattern[i]);
			this.pairs[h >>> 6] |= 1L << h;
		}
	}

	/** 12 bits from two bytes: each value of the first gives 16 buckets of 256. */
	private static int pair(byte first, byte second) {
		return ((first & 0xFF) << 4) ^ (second & 0xFF);
	}

	/** True when the two bytes ending at {@code end} are not a pair in the delimiter. */
	private boolean ruledOut(ByteBuffer buf, int end) {
		int h = pair(buf.get(end - 1), buf.get(end));
		return (this.pairs[h >>> 6] & (1L << h)) == 0;
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
	 * A window ruled out by its last pair moves the search on by {@code m - 1}. Two such
	 * windows are tested at once where the range allows: their reads do not depend on
	 * each other, so their latencies overlap, and in file data both are ruled out almost
	 * always. A window not ruled out gets a Horspool probe.
	 */
	int find(ByteBuffer buf, int from, int to) {
		int last = this.pattern.length - 1;
		int i = from;
		while (i + 2 * last < to) {
			if (ruledOut(buf, i + last)) {
				if (ruledOut(buf, i + 2 * last)) {
					i += 2 * last;
					continue;
				}
				i += last;
			}
			int step = probe(buf, i);
			if (step == 0) {
				return i;
			}
			i += step;
		}
		while (i + last < to) {
			if (ruledOut(buf, i + last)) {
				i += last;
				continue;
			}
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
