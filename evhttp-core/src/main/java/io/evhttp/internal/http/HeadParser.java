package io.evhttp.internal.http;

import io.evhttp.http.HeadLimits;
import io.evhttp.http.Headers;
import io.evhttp.http.HttpException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental push parser of a request line and header section (RFC 9112 §2-5), strict.
 *
 * <pre>
 *   LEADING_EMPTY_LINES --(first non-empty line)--&gt; HEADER_LINES --(empty line)--&gt; COMPLETE
 * </pre>
 *
 * <p>
 * Bytes are copied in bulk into a per-connection accumulator and scanned there, resuming
 * where the previous call stopped, so a head split across any number of reads costs what
 * one read costs. Only the head is consumed: body bytes and pipelined requests stay in
 * the caller's buffer.
 *
 * <p>
 * Refused with 400: bare LF or CR, NUL and other control bytes, obs-fold, whitespace
 * between a field name and its colon, a malformed request line. 414 and 431 as in
 * {@link HeadLimits}; 505 for an HTTP version other than 1.0 and 1.1.
 */
public final class HeadParser {

	private enum State {

		REQUEST_LINE, HEADER_LINES, COMPLETE

	}

	private static final int MAX_LEADING_EMPTY_LINES = 8;

	private static final int COPY_STEP = 2048;

	private final HeadLimits limits;

	private byte[] acc = new byte[COPY_STEP];

	private int accLength;

	private int scanPos;

	private int lineStart;

	private int headerSectionStart;

	private int emptyLines;

	private State state = State.REQUEST_LINE;

	private String method;

	private String target;

	private int minorVersion;

	private Headers headers = new Headers();

	public HeadParser(HeadLimits limits) {
		this.limits = limits;
	}

	/**
	 * Consumes head bytes from {@code buf}, advancing its position to just past the end
	 * of the head once it is complete (or past everything, when it is not).
	 * @return the head once complete, else {@code null} (needs more bytes)
	 * @throws HttpException when the head is malformed or over a limit
	 */
	public RequestHead parse(ByteBuffer buf) {
		int maxTotal = this.limits.maxRequestLineBytes() + this.limits.maxHeaderBytes() + 2
				+ MAX_LEADING_EMPTY_LINES * 2;
		// copied in small steps: a head usually arrives with body bytes behind it, which
		// are
		// given back, so copying everything up to the limits would move kilobytes for
		// nothing
		while (buf.hasRemaining()) {
			int n = Math.min(buf.remaining(), Math.min(COPY_STEP, maxTotal - this.accLength));
			if (n <= 0) {
				throw overLimit();
			}
			ensureCapacity(this.accLength + n);
			buf.get(this.acc, this.accLength, n);
			this.accLength += n;
			if (scanLines()) {
				// give back what was copied beyond the head
				buf.position(buf.position() - (this.accLength - this.lineStart));
				return new RequestHead(this.method, this.target, this.minorVersion, this.headers);
			}
		}
		return null;
	}

	/** Parses the complete lines received; true once the head is complete. */
	private boolean scanLines() {
		while (this.state != State.COMPLETE) {
			int lf = indexOfLf(this.scanPos, this.accLength);
			if (lf < 0) {
				this.scanPos = this.accLength;
				checkPartialLine();
				return false;
			}
			this.scanPos = lf + 1;
			parseLine(this.lineStart, lf);
			this.lineStart = lf + 1;
		}
		return true;
	}

	/** Whether no byte of a head has been received since the last reset. */
	public boolean isIdle() {
		return this.accLength == 0;
	}

	/** Prepares for the next request on the same connection. */
	public void reset() {
		this.accLength = 0;
		this.scanPos = 0;
		this.lineStart = 0;
		this.headerSectionStart = 0;
		this.emptyLines = 0;
		this.state = State.REQUEST_LINE;
		this.method = null;
		this.target = null;
		this.headers = new Headers();
		if (this.acc.length > 8192) {
			this.acc = new byte[COPY_STEP];
		}
	}

	private void ensureCapacity(int needed) {
		if (needed > this.acc.length) {
			this.acc = Arrays.copyOf(this.acc, Math.max(needed, this.acc.length * 2));
		}
	}

	private int indexOfLf(int from, int to) {
		byte[] a = this.acc;
		for (int i = from; i < to; i++) {
			if (a[i] == '\n') {
				return i;
			}
		}
		return -1;
	}

	private void checkPartialLine() {
		int pending = this.accLength - this.lineStart;
		if (this.state == State.REQUEST_LINE && pending > this.limits.maxRequestLineBytes() + 1) {
			throw new HttpException(414, "request line over " + this.limits.maxRequestLineBytes() + " bytes");
		}
		if (this.state == State.HEADER_LINES
				&& this.accLength - this.headerSectionStart > this.limits.maxHeaderBytes()) {
			throw overLimit();
		}
	}

	private HttpException overLimit() {
		if (this.state == State.REQUEST_LINE) {
			return new HttpException(414, "request line over " + this.limits.maxRequestLineBytes() + " bytes");
		}
		return new HttpException(431, "header section over " + this.limits.maxHeaderBytes() + " bytes");
	}

	/**
	 * Parses the line {@code [start, lf)}; {@code acc[lf]} is the LF. Limits are checked
	 * before syntax, as {@link #checkPartialLine} does, so the status does not depend on
	 * how the bytes were split into reads.
	 */
	private void parseLine(int start, int lf) {
		if (this.state == State.REQUEST_LINE && lf - start > this.limits.maxRequestLineBytes() + 1) {
			throw new HttpException(414, "request line over " + this.limits.maxRequestLineBytes() + " bytes");
		}
		if (this.state == State.HEADER_LINES && lf + 1 - this.headerSectionStart > this.limits.maxHeaderBytes()) {
			throw overLimit();
		}
		if (lf == start || this.acc[lf - 1] != '\r') {
			throw HttpException.badRequest("bare LF in head");
		}
		int end = lf - 1;
		switch (this.state) {
			case REQUEST_LINE -> {
				if (end == start) {
					// RFC 9112 §2.2: ignore at least one empty line before the request
					// line
					if (++this.emptyLines > MAX_LEADING_EMPTY_LINES) {
						throw HttpException.badRequest("too many empty lines before the request line");
					}
					return;
				}
				parseRequestLine(start, end);
				this.headerSectionStart = lf + 1;
				this.state = State.HEADER_LINES;
			}
			case HEADER_LINES -> {
				if (end == start) {
					this.state = State.COMPLETE;
					return;
				}
				parseHeaderLine(start, end);
			}
			case COMPLETE -> throw new IllegalStateException("head already complete");
		}
	}

	private void parseRequestLine(int start, int end) {
		byte[] a = this.acc;
		int sp1 = start;
		while (sp1 < end && Tokens.isTchar(a[sp1])) {
			sp1++;
		}
		if (sp1 == start || sp1 == end || a[sp1] != ' ') {
			throw HttpException.badRequest("malformed method");
		}
		int sp2 = sp1 + 1;
		while (sp2 < end && a[sp2] > 0x20 && a[sp2] < 0x7F) {
			sp2++;
		}
		if (sp2 == sp1 + 1 || sp2 == end || a[sp2] != ' ') {
			throw HttpException.badRequest("malformed request target");
		}
		this.minorVersion = parseVersion(sp2 + 1, end);
		this.method = KnownStrings.METHODS.intern(a, start, sp1 - start);
		this.target = new String(a, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);
	}

	private int parseVersion(int start, int end) {
		byte[] a = this.acc;
		if (end - start != 8 || a[start] != 'H' || a[start + 1] != 'T' || a[start + 2] != 'T' || a[start + 3] != 'P'
				|| a[start + 4] != '/' || !isDigit(a[start + 5]) || a[start + 6] != '.' || !isDigit(a[start + 7])) {
			throw HttpException.badRequest("malformed HTTP version");
		}
		if (a[start + 5] != '1' || (a[start + 7] != '0' && a[start + 7] != '1')) {
			throw new HttpException(505, "HTTP version not supported");
		}
		return a[start + 7] - '0';
	}

	private static boolean isDigit(byte b) {
		return b >= '0' && b <= '9';
	}

	private void parseHeaderLine(int start, int end) {
		byte[] a = this.acc;
		if (a[start] == ' ' || a[start] == '\t') {
			throw HttpException.badRequest("obs-fold in header section");
		}
		int colon = start;
		while (colon < end && Tokens.isTchar(a[colon])) {
			colon++;
		}
		if (colon == start || colon == end || a[colon] != ':') {
			throw HttpException.badRequest("malformed header field name");
		}
		int vStart = colon + 1;
		int vEnd = end;
		while (vStart < vEnd && (a[vStart] == ' ' || a[vStart] == '\t')) {
			vStart++;
		}
		while (vEnd > vStart && (a[vEnd - 1] == ' ' || a[vEnd - 1] == '\t')) {
			vEnd--;
		}
		for (int i = vStart; i < vEnd; i++) {
			int b = a[i] & 0xFF;
			if (b < 0x20 && b != '\t' || b == 0x7F) {
				throw HttpException.badRequest("control byte in header value");
			}
		}
		if (this.headers.size() >= this.limits.maxHeaderCount()) {
			throw new HttpException(431, "more than " + this.limits.maxHeaderCount() + " header fields");
		}
		this.headers.add(KnownStrings.HEADER_NAMES.intern(a, start, colon - start),
				new String(a, vStart, vEnd - vStart, StandardCharsets.ISO_8859_1));
	}

}
