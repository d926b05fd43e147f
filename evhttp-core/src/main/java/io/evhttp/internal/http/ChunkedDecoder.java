package io.evhttp.internal.http;

import io.evhttp.http.HttpException;
import java.nio.ByteBuffer;

/**
 * Push decoder of the chunked transfer coding (RFC 9112 §7.1). Chunk data is left where
 * it lies in the input, never sliced or copied; size lines, extensions and trailers are
 * checked and dropped.
 *
 * <pre>
 *   SIZE -&gt; [EXTENSION] -&gt; SIZE_LF -&gt; DATA -&gt; DATA_CR -&gt; DATA_LF -&gt; SIZE ...
 *   SIZE_LF (size 0) -&gt; TRAILER_START -&gt; (TRAILER_FIELD -&gt; TRAILER_FIELD_LF -&gt; TRAILER_START)* -&gt; FINAL_LF -&gt; DONE
 * </pre>
 *
 * <p>
 * Refused with 400: a chunk size over 15 hex digits (it could not be counted), a missing
 * size, bare LF or CR, a control byte in an extension or trailer, data not followed by
 * CRLF. An extension over 4 KiB gets 400 and trailers over {@code maxTrailerBytes} get
 * 431.
 */
public final class ChunkedDecoder {

	private enum State {

		SIZE, SIZE_WS, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER_FIELD, TRAILER_FIELD_LF,
		FINAL_LF, DONE

	}

	private static final int MAX_SIZE_DIGITS = 15;

	private static final int MAX_EXTENSION_BYTES = 4096;

	private final int maxTrailerBytes;

	private State state = State.SIZE;

	private long chunkRemaining;

	private int digits;

	private int extensionBytes;

	private int trailerBytes;

	public ChunkedDecoder(int maxTrailerBytes) {
		this.maxTrailerBytes = maxTrailerBytes;
	}

	/**
	 * Decodes framing from {@code in} up to the next chunk data. The data is not
	 * consumed: the caller uses it where it lies (no slice, no copy) and then advances
	 * {@code in}'s position past it.
	 * @return how many data bytes start at {@code in}'s position, or 0 when {@code in} is
	 * used up or the body is complete
	 * @throws HttpException when the coding is malformed
	 */
	public int nextData(ByteBuffer in) {
		while (in.hasRemaining() && this.state != State.DONE) {
			if (this.state == State.DATA) {
				int n = (int) Math.min(this.chunkRemaining, in.remaining());
				this.chunkRemaining -= n;
				if (this.chunkRemaining == 0) {
					this.state = State.DATA_CR;
				}
				return n;
			}
			parseFraming(in.get());
		}
		return 0;
	}

	/** Whether the last chunk and the trailer section have been read. */
	public boolean isDone() {
		return this.state == State.DONE;
	}

	private void parseFraming(byte b) {
		switch (this.state) {
			case SIZE -> parseSize(b);
			case SIZE_WS -> {
				if (b == ';') {
					this.state = State.EXTENSION;
				}
				else if (b == '\r') {
					this.state = State.SIZE_LF;
				}
				else if (b != ' ' && b != '\t') {
					throw HttpException.badRequest("malformed chunk size line");
				}
			}
			case EXTENSION -> {
				if (b == '\r') {
					this.state = State.SIZE_LF;
				}
				else if (isControl(b) || ++this.extensionBytes > MAX_EXTENSION_BYTES) {
					throw HttpException.badRequest("malformed or oversized chunk extension");
				}
			}
			case SIZE_LF -> {
				expect(b, '\n');
				this.state = (this.chunkRemaining == 0) ? State.TRAILER_START : State.DATA;
			}
			case DATA_CR -> {
				expect(b, '\r');
				this.state = State.DATA_LF;
			}
			case DATA_LF -> {
				expect(b, '\n');
				this.state = State.SIZE;
				this.digits = 0;
				this.extensionBytes = 0;
			}
			case TRAILER_START -> {
				countTrailer();
				if (b == '\r') {
					this.state = State.FINAL_LF;
				}
				else if (isControl(b) || b == ' ' || b == ':') {
					throw HttpException.badRequest("malformed trailer field");
				}
				else {
					this.state = State.TRAILER_FIELD;
				}
			}
			case TRAILER_FIELD -> {
				countTrailer();
				if (b == '\r') {
					this.state = State.TRAILER_FIELD_LF;
				}
				else if (isControl(b)) {
					throw HttpException.badRequest("control byte in trailer field");
				}
			}
			case TRAILER_FIELD_LF -> {
				countTrailer();
				expect(b, '\n');
				this.state = State.TRAILER_START;
			}
			case FINAL_LF -> {
				expect(b, '\n');
				this.state = State.DONE;
			}
			case DATA, DONE -> throw new IllegalStateException(this.state.name());
		}
	}

	private void parseSize(byte b) {
		int d = Character.digit(b, 16);
		if (d >= 0) {
			if (++this.digits > MAX_SIZE_DIGITS) {
				throw HttpException.badRequest("chunk size too large");
			}
			this.chunkRemaining = (this.chunkRemaining << 4) | d;
			return;
		}
		if (this.digits == 0) {
			throw HttpException.badRequest("missing chunk size");
		}
		switch (b) {
			case ';' -> this.state = State.EXTENSION;
			case '\r' -> this.state = State.SIZE_LF;
			case ' ', '\t' -> this.state = State.SIZE_WS;
			default -> throw HttpException.badRequest("malformed chunk size");
		}
	}

	private void countTrailer() {
		if (++this.trailerBytes > this.maxTrailerBytes) {
			throw new HttpException(431, "trailer section over " + this.maxTrailerBytes + " bytes");
		}
	}

	private static void expect(byte b, char expected) {
		if (b != expected) {
			throw HttpException.badRequest("expected " + ((expected == '\n') ? "LF" : "CR") + " in chunked body");
		}
	}

	private static boolean isControl(byte b) {
		return (b >= 0 && b < 0x20 && b != '\t') || b == 0x7F;
	}

}
