package io.evhttp.internal.multipart;

import io.evhttp.http.Headers;
import io.evhttp.http.HttpException;
import io.evhttp.internal.http.KnownStrings;
import io.evhttp.internal.http.Tokens;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one part's header section, from the line after its delimiter to the empty line,
 * across as many buffers as it comes in; unfolds folded lines and holds the section to
 * the part-header limit (413 past it). {@link #start()} begins each part's.
 */
final class PartHeaderReader {

	private final int maxBytes;

	/** The current part's header section as read so far, folds removed. */
	private byte[] headerBytes = new byte[256];

	/** Header bytes copied off the read buffer at once. */
	private final byte[] scratch = new byte[256];

	private int headerLength;

	private int headerLineStart;

	/** Bytes of the current part's header section received, CRLFs and folds included. */
	private int headerBytesReceived;

	/**
	 * Whether the line before {@code headerLength} has ended with CRLF and waits for the
	 * next byte to say whether it is folded.
	 */
	private boolean headerLineEnded;

	private Headers headers;

	PartHeaderReader(int maxBytes) {
		this.maxBytes = maxBytes;
	}

	/** Begins a part's header section. */
	void start() {
		this.headerLength = 0;
		this.headerLineStart = 0;
		this.headerBytesReceived = 0;
		this.headerLineEnded = false;
		this.headers = new Headers();
	}

	/** The headers read since {@link #start()}. */
	Headers headers() {
		return this.headers;
	}

	/**
	 * Reads header bytes up to the empty line: true when it has been read (the buffer's
	 * position just after it), false when the buffer ran out first. A line is parsed once
	 * the byte after its CRLF shows it is not folded: SP or HTAB there continues it, and
	 * the CRLF is dropped while the SP or HTAB is kept, as RFC 5322 §2.2.3 unfolds
	 * ("simply removing any CRLF that is immediately followed by WSP").
	 */
	boolean read(ByteBuffer buf) {
		// copied off the read buffer a few hundred bytes at a time, then read from the
		// heap: a direct buffer's get() per byte cost a quarter of the loop's Java time
		// in the small-form benchmark
		byte[] bytes = this.scratch;
		while (buf.hasRemaining()) {
			int start = buf.position();
			int n = Math.min(Math.min(buf.remaining(), bytes.length), this.maxBytes - this.headerBytesReceived + 1);
			buf.get(start, bytes, 0, n);
			buf.position(start + n);
			int i = 0;
			while (i < n) {
				if (!this.headerLineEnded) {
					// inside a line only LF needs a decision: the bytes before it go in
					// at once
					int lf = i;
					while (lf < n && bytes[lf] != '\n') {
						lf++;
					}
					if (lf > i) {
						storeRun(bytes, i, lf - i);
						i = lf;
						continue;
					}
				}
				if (headerByte(bytes[i])) {
					buf.position(start + i + 1);
					return true;
				}
				i++;
			}
		}
		return false;
	}

	/**
	 * Stores {@code length} bytes of a line, none of them LF, as many headerByte calls
	 * would.
	 */
	private void storeRun(byte[] bytes, int from, int length) {
		if (this.headerBytesReceived + length > this.maxBytes) {
			throw partHeadersTooLarge();
		}
		this.headerBytesReceived += length;
		int needed = this.headerLength + length;
		if (needed > this.headerBytes.length) {
			this.headerBytes = Arrays.copyOf(this.headerBytes,
					Math.max(needed, Math.min(this.headerBytes.length * 2, Math.max(this.maxBytes, 1))));
		}
		System.arraycopy(bytes, from, this.headerBytes, this.headerLength, length);
		this.headerLength = needed;
	}

	private HttpException partHeadersTooLarge() {
		return new HttpException(413, "part headers over " + this.maxBytes + " bytes")
			.withCode("part-headers-too-large")
			.withLimit(this.maxBytes);
	}

	/**
	 * @return whether {@code b} ended the part's headers
	 */
	private boolean headerByte(byte b) {
		if (this.headerBytesReceived++ == this.maxBytes) {
			throw partHeadersTooLarge();
		}
		if (this.headerLineEnded) {
			this.headerLineEnded = false;
			if (b == ' ' || b == '\t') {
				this.headerLength -= 2; // unfold: drop the CRLF, keep this WSP
			}
			else {
				parseHeaderLine(this.headerLineStart, this.headerLength - 2);
				this.headerLineStart = this.headerLength;
			}
		}
		store(b);
		if (b == '\n') {
			int lineEnd = this.headerLength - 2;
			if (lineEnd < this.headerLineStart || this.headerBytes[lineEnd] != '\r') {
				throw HttpException.badRequest("bare LF in part headers");
			}
			if (lineEnd == this.headerLineStart) {
				return true;
			}
			this.headerLineEnded = true;
		}
		return false;
	}

	private void store(byte b) {
		if (this.headerLength == this.headerBytes.length) {
			this.headerBytes = Arrays.copyOf(this.headerBytes,
					Math.min(this.headerLength * 2, Math.max(this.maxBytes, 1)));
		}
		this.headerBytes[this.headerLength++] = b;
	}

	private void parseHeaderLine(int start, int end) {
		byte[] a = this.headerBytes;
		int colon = start;
		while (colon < end && Tokens.isTchar(a[colon])) {
			colon++;
		}
		if (colon == start || colon == end || a[colon] != ':') {
			throw HttpException.badRequest("malformed part header");
		}
		for (int i = colon + 1; i < end; i++) {
			int c = a[i] & 0xFF;
			if ((c < 0x20 && c != '\t') || c == 0x7F) {
				throw HttpException.badRequest("control byte in part header");
			}
		}
		int from = colon + 1;
		while (from < end && (a[from] == ' ' || a[from] == '\t')) {
			from++; // most values follow a space, which strip() would copy the value
					// again for
		}
		String value = new String(a, from, end - from, StandardCharsets.UTF_8).strip();
		this.headers.add(KnownStrings.PART_HEADER_NAMES.intern(a, start, colon - start), value);
	}

}
