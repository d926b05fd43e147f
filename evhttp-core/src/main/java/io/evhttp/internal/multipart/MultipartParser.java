package io.evhttp.internal.multipart;

import io.evhttp.http.Headers;
import io.evhttp.http.HttpException;
import io.evhttp.internal.http.MediaType;
import io.evhttp.multipart.MultipartLimits;
import java.nio.ByteBuffer;

/**
 * Streaming push parser of a {@code multipart/form-data} body (RFC 7578, RFC 2046 §5.1).
 *
 * <pre>
 *   PREAMBLE --delimiter--&gt; AFTER_DELIMITER --CRLF--&gt; PART_HEADERS --empty line--&gt; PART_BODY
 *   PART_BODY --delimiter--&gt; AFTER_DELIMITER --"--"--&gt; EPILOGUE
 *   AFTER_DELIMITER --SP/HTAB--&gt; PADDING --CRLF--&gt; PART_HEADERS
 * </pre>
 *
 * <p>
 * Part content is handed to the listener as slices of the input, never copied; a
 * delimiter cut by the end of a buffer is carried over as a match length, and when it
 * turns out not to be one, its bytes are handed out from the pattern itself. The body is
 * treated as if preceded by CRLF, so a first delimiter without one is found like any
 * other.
 *
 * <p>
 * Part headers follow RFC 5322 (RFC 7578 §4.8, RFC 2046 §5.1.1): a line starting with SP
 * or HTAB continues the one before (FILEUPLOAD-111), and is unfolded. A part
 * {@code Content-Type} that is not a media type is kept as sent, its charset unknown: one
 * odd part header should not cost the user the whole upload.
 *
 * <p>
 * Refused: a part header section over {@code maxPartHeaderBytes} or more than
 * {@code maxParts} parts (413); more than {@code maxPreambleBytes} before the first
 * delimiter, junk after a delimiter, a malformed part header, a part without
 * {@code Content-Disposition: form-data}, a body ending before its close delimiter (400).
 */
public final class MultipartParser {

	private enum State {

		PREAMBLE, AFTER_DELIMITER, CLOSE_DASH, PADDING, DELIMITER_LF, PART_HEADERS, PART_BODY, EPILOGUE

	}

	private static final int MAX_PADDING = 256;

	private static final int ASSUMED_CRLF = 2;

	private final DelimiterSearch search;

	private final MultipartLimits limits;

	private final MultipartListener listener;

	private State state = State.PREAMBLE;

	/**
	 * Bytes of the delimiter matched at the end of the previous buffer; at first the CRLF
	 * the body is treated as preceded by.
	 */
	private int partial = ASSUMED_CRLF;

	/**
	 * Bytes of the preamble read so far; starts below zero, as the assumed CRLF is not
	 * the client's and is counted when it turns out not to start the first delimiter.
	 */
	private long preambleBytes = -ASSUMED_CRLF;

	private boolean paused;

	private int parts;

	private int padding;

	private final PartHeaderReader headers;

	public MultipartParser(String boundary, MultipartLimits limits, MultipartListener listener) {
		this.search = new DelimiterSearch(boundary);
		this.headers = new PartHeaderReader(limits.maxPartHeaderBytes());
		this.limits = limits;
		this.listener = listener;
	}

	/**
	 * The boundary of a {@code multipart/*} media type.
	 * @throws HttpException (400) when missing, empty or over 70 characters (RFC 2046
	 * §5.1.1)
	 */
	public static String boundaryOf(MediaType type) {
		String boundary = type.parameter("boundary");
		if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
			throw HttpException.badRequest("missing or invalid multipart boundary");
		}
		for (int i = 0; i < boundary.length(); i++) {
			char c = boundary.charAt(i);
			if (c < 0x20 || c > 0x7E) {
				throw HttpException.badRequest("invalid character in multipart boundary");
			}
		}
		return boundary;
	}

	/**
	 * Parses all of {@code buf}, advancing its position to its limit (or to where
	 * {@link #pause()} stopped it).
	 * @throws HttpException when the body is malformed or over a limit
	 */
	public void parse(ByteBuffer buf) {
		while (buf.hasRemaining() && !this.paused) {
			switch (this.state) {
				case PREAMBLE, PART_BODY -> scanContent(buf);
				case PART_HEADERS -> {
					if (this.headers.read(buf)) {
						beginPart();
					}
				}
				case EPILOGUE -> buf.position(buf.limit());
				default -> parseDelimiterTail(buf.get());
			}
		}
	}

	/**
	 * Makes {@link #parse} return at the current position, leaving the rest of its buffer
	 * unread, until {@link #resume()}. Called from {@link MultipartListener#onPartBegin}
	 * by a listener that must prepare the part first (e.g. create its file elsewhere).
	 */
	public void pause() {
		this.paused = true;
	}

	public void resume() {
		this.paused = false;
	}

	/**
	 * Called at the end of the body.
	 * @throws HttpException (400) when the close delimiter has not been read
	 */
	public void finish() {
		if (this.state != State.EPILOGUE) {
			throw HttpException.badRequest("multipart body ended before its close delimiter");
		}
	}

	/** Whether the close delimiter has been read. */
	public boolean isComplete() {
		return this.state == State.EPILOGUE;
	}

	private void scanContent(ByteBuffer buf) {
		boolean content = this.state == State.PART_BODY;
		int pos = buf.position();
		int lim = buf.limit();
		if (this.partial > 0) {
			int matched = this.search.continueMatch(this.partial, buf, pos, lim);
			if (matched == this.search.length()) {
				buf.position(pos + matched - this.partial);
				this.partial = 0;
				onDelimiter();
				return;
			}
			if (matched > 0) {
				this.partial = matched;
				buf.position(lim);
				return;
			}
			if (content) {
				this.listener.onPartContent(ByteBuffer.wrap(this.search.pattern(), 0, this.partial).asReadOnlyBuffer());
			}
			else {
				countPreamble(this.partial);
			}
			this.partial = 0;
		}
		int found = this.search.find(buf, pos, lim);
		if (found >= 0) {
			if (content && found > pos) {
				content(buf, pos, found);
			}
			else if (!content) {
				countPreamble(found - pos);
			}
			buf.position(found + this.search.length());
			onDelimiter();
			return;
		}
		int tail = this.search.partialAtEnd(buf, pos, lim);
		if (content && lim - tail > pos) {
			content(buf, pos, lim - tail);
		}
		else if (!content) {
			countPreamble(lim - tail - pos);
		}
		this.partial = tail;
		buf.position(lim);
	}

	/**
	 * Counts preamble bytes known not to start the first delimiter, so the count (and the
	 * moment of refusal) is the same however the body is split.
	 */
	private void countPreamble(int n) {
		this.preambleBytes += n;
		if (this.preambleBytes > this.limits.maxPreambleBytes()) {
			throw HttpException.badRequest(
					"no multipart delimiter in the first " + this.limits.maxPreambleBytes() + " bytes of the body");
		}
	}

	/**
	 * Hands {@code buf} itself, narrowed to {@code [from, to)}, to the listener: a slice
	 * per chunk would be garbage on the hot path.
	 */
	private void content(ByteBuffer buf, int from, int to) {
		int limit = buf.limit();
		buf.limit(to).position(from);
		try {
			this.listener.onPartContent(buf);
		}
		finally {
			buf.limit(limit);
		}
	}

	private void onDelimiter() {
		if (this.state == State.PART_BODY) {
			this.listener.onPartEnd();
		}
		this.state = State.AFTER_DELIMITER;
	}

	private void parseDelimiterTail(byte b) {
		switch (this.state) {
			case AFTER_DELIMITER -> {
				switch (b) {
					case '-' -> this.state = State.CLOSE_DASH;
					case '\r' -> this.state = State.DELIMITER_LF;
					case ' ', '\t' -> {
						this.padding = 0;
						this.state = State.PADDING;
					}
					default -> throw HttpException.badRequest("unexpected byte after multipart delimiter");
				}
			}
			case CLOSE_DASH -> {
				if (b != '-') {
					throw HttpException.badRequest("unexpected byte after multipart delimiter");
				}
				this.state = State.EPILOGUE;
				this.listener.onComplete();
			}
			case PADDING -> {
				if (b == '\r') {
					this.state = State.DELIMITER_LF;
				}
				else if ((b != ' ' && b != '\t') || ++this.padding > MAX_PADDING) {
					throw HttpException.badRequest("malformed transport padding");
				}
			}
			case DELIMITER_LF -> {
				if (b != '\n') {
					throw HttpException.badRequest("expected LF after multipart delimiter");
				}
				if (++this.parts > this.limits.maxParts()) {
					throw new HttpException(413, "more than " + this.limits.maxParts() + " parts")
						.withCode("too-many-parts")
						.withLimit(this.limits.maxParts());
				}
				this.headers.start();
				this.state = State.PART_HEADERS;
			}
			default -> throw new IllegalStateException(this.state.name());
		}
	}

	private void beginPart() {
		Headers partHeaders = this.headers.headers();
		String disposition = partHeaders.get("Content-Disposition");
		if (disposition == null) {
			throw HttpException.badRequest("part without Content-Disposition");
		}
		ContentDisposition cd = ContentDisposition.parse(disposition);
		if (!cd.type().equals("form-data")) {
			throw HttpException.badRequest("part disposition is not form-data");
		}
		String contentType = partHeaders.get("Content-Type");
		String charset = null;
		if (contentType == null || contentType.isBlank()) {
			contentType = "text/plain";
		}
		else {
			charset = charsetOf(contentType);
		}
		this.state = State.PART_BODY;
		this.partial = 0;
		this.listener.onPartBegin(new Part(cd.name(), cd.filename(), contentType, charset, partHeaders));
	}

	/**
	 * The {@code charset} of a part's type, or null, also when the type is not a media
	 * type: {@code curl -F 'f=@a.txt;type="text/plain; charset=utf-8"'} sends the quotes.
	 */
	private static String charsetOf(String contentType) {
		if (contentType.indexOf(';') < 0) {
			return null; // no parameters, as with most files: nothing to parse
		}
		try {
			return MediaType.parse(contentType).parameter("charset");
		}
		catch (HttpException ex) {
			return null;
		}
	}

}
