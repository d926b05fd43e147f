package io.evhttp.internal.form;

import io.evhttp.form.FormLimits;
import io.evhttp.http.HttpException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Streaming decoder of {@code application/x-www-form-urlencoded} bytes (the WHATWG URL
 * standard's parser): pairs split on {@code &}, name and value on the first {@code =},
 * {@code +} is a space and {@code %XX} a byte; names and values are then decoded from
 * UTF-8.
 *
 * <pre>
 *   NAME --'='--&gt; VALUE --'&amp;'--&gt; NAME        (from either: '%' -&gt; PERCENT_HIGH -&gt; PERCENT_LOW -&gt; back)
 * </pre>
 *
 * <p>
 * Refused: a {@code %} not followed by two hex digits (400); a name, a value or the
 * number of pairs over its limit (the status given at construction: 413 for bodies, 414
 * for queries).
 */
public final class UrlencodedDecoder {

	/** Receives each decoded pair, in order. */
	@FunctionalInterface
	public interface PairSink {

		void onPair(String name, String value);

	}

	private enum State {

		NAME, VALUE, PERCENT_HIGH, PERCENT_LOW

	}

	private final FormLimits limits;

	private final int overLimitStatus;

	private final PairSink sink;

	private final Charset charset;

	private State state = State.NAME;

	private State percentOf;

	private int percentHigh;

	private byte[] name = new byte[32];

	private int nameLength;

	private byte[] value = new byte[64];

	private int valueLength;

	private int pairs;

	public UrlencodedDecoder(FormLimits limits, int overLimitStatus, Charset charset, PairSink sink) {
		this.limits = limits;
		this.overLimitStatus = overLimitStatus;
		this.charset = charset;
		this.sink = sink;
	}

	/** Decodes a whole string of pairs, such as a raw query. */
	public static void decode(String raw, FormLimits limits, int overLimitStatus, PairSink sink) {
		UrlencodedDecoder decoder = new UrlencodedDecoder(limits, overLimitStatus, StandardCharsets.UTF_8, sink);
		decoder.decode(ByteBuffer.wrap(raw.getBytes(StandardCharsets.ISO_8859_1)));
		decoder.finish();
	}

	/** Decodes all of {@code buf}, advancing its position to its limit. */
	public void decode(ByteBuffer buf) {
		while (buf.hasRemaining()) {
			byte b = buf.get();
			switch (this.state) {
				case NAME -> {
					if (b == '=') {
						this.state = State.VALUE;
					}
					else if (b == '&') {
						emit();
					}
					else {
						appendName(literal(b, State.NAME));
					}
				}
				case VALUE -> {
					if (b == '&') {
						emit();
					}
					else {
						appendValue(literal(b, State.VALUE));
					}
				}
				case PERCENT_HIGH -> {
					this.percentHigh = hex(b);
					this.state = State.PERCENT_LOW;
				}
				case PERCENT_LOW -> {
					int decoded = this.percentHigh << 4 | hex(b);
					this.state = this.percentOf;
					if (this.state == State.NAME) {
						appendName(decoded);
					}
					else {
						appendValue(decoded);
					}
				}
			}
		}
	}

	/**
	 * Emits the last pair.
	 * @throws HttpException (400) when the input ended inside an escape
	 */
	public void finish() {
		if (this.state == State.PERCENT_HIGH || this.state == State.PERCENT_LOW) {
			throw HttpException.badRequest("incomplete percent escape");
		}
		emit();
	}

	/** Returns the byte to append, or -1 when {@code b} opened an escape. */
	private int literal(byte b, State current) {
		if (b == '%') {
			this.percentOf = current;
			this.state = State.PERCENT_HIGH;
			return -1;
		}
		return (b == '+') ? ' ' : b & 0xFF;
	}

	private static int hex(byte b) {
		int d = Character.digit(b, 16);
		if (d < 0 || b < 0) {
			throw HttpException.badRequest("malformed percent escape");
		}
		return d;
	}

	private void appendName(int b) {
		if (b < 0) {
			return;
		}
		if (this.nameLength == this.limits.maxNameBytes()) {
			throw new HttpException(this.overLimitStatus, "field name over " + this.limits.maxNameBytes() + " bytes");
		}
		if (this.nameLength == this.name.length) {
			this.name = Arrays.copyOf(this.name, Math.min(this.nameLength * 2, this.limits.maxNameBytes()));
		}
		this.name[this.nameLength++] = (byte) b;
	}

	private void appendValue(int b) {
		if (b < 0) {
			return;
		}
		if (this.valueLength == this.limits.maxValueBytes()) {
			throw new HttpException(this.overLimitStatus, "field value over " + this.limits.maxValueBytes() + " bytes");
		}
		if (this.valueLength == this.value.length) {
			this.value = Arrays.copyOf(this.value, Math.min(this.valueLength * 2, this.limits.maxValueBytes()));
		}
		this.value[this.valueLength++] = (byte) b;
	}

	private void emit() {
		boolean empty = this.nameLength == 0 && this.valueLength == 0 && this.state == State.NAME;
		if (!empty) {
			if (++this.pairs > this.limits.maxFields()) {
				throw new HttpException(this.overLimitStatus, "more than " + this.limits.maxFields() + " fields");
			}
			this.sink.onPair(new String(this.name, 0, this.nameLength, this.charset),
					new String(this.value, 0, this.valueLength, this.charset));
		}
		this.nameLength = 0;
		this.valueLength = 0;
		this.state = State.NAME;
	}

}
