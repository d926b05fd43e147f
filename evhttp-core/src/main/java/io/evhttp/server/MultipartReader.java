package io.evhttp.server;

import io.evhttp.form.FormLimits;
import io.evhttp.http.HttpException;
import io.evhttp.internal.http.DigestFields;
import io.evhttp.internal.multipart.MultipartListener;
import io.evhttp.internal.multipart.MultipartParser;
import io.evhttp.internal.multipart.Part;
import io.evhttp.upload.UploadTarget;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;

/**
 * Turns a {@code multipart/form-data} body into fields (held in memory, capped) and files
 * (each through its {@link FileReceiver} into the store). Field values are decoded with
 * the part's charset, else the {@code _charset_} field's (RFC 7578 §4.6), else UTF-8.
 *
 * <p>
 * While a file is created off the loop the parser stops: the bytes after its headers, and
 * any read meanwhile, are held, and parsed once it is open. Likewise while a store
 * finishes a file later (an object store completing an upload): the next part waits, so a
 * request's files are received one after the other and their callbacks come in order.
 */
final class MultipartReader implements ContentReader, MultipartListener {

	private final BodyControl body;

	private final Request request;

	private final BodyContext context;

	private final MultipartParser parser;

	private final FormLimits limits;

	private final HeldBytes held = new HeldBytes();

	/** The bytes being parsed: what is left of them follows a new part's headers. */
	private ByteBuffer parsing;

	private FileReceiver file;

	/** What the parser waits for (a file created, or stored), or {@code null}. */
	private PauseReason waitingFor;

	/** The body's end arrived while a file was being created. */
	private boolean endPending;

	private boolean parsedToEnd;

	/** A file whose store has not finished it yet. */
	private boolean storing;

	private Part field;

	private byte[] value = new byte[128];

	private int valueLength;

	private int fields;

	private Charset defaultCharset = StandardCharsets.UTF_8;

	MultipartReader(BodyControl body, Request request, String boundary, BodyContext context) {
		this.body = body;
		this.request = request;
		this.context = context;
		this.limits = context.options().limits().form();
		this.parser = new MultipartParser(boundary, context.options().limits().multipart(), this);
	}

	@Override
	public void onData(ByteBuffer data) {
		if (this.waitingFor == null) {
			parse(data);
		}
		if (this.waitingFor != null) {
			this.held.hold(data); // what is left when the parser stopped at a new file
		}
	}

	@Override
	public void onEnd() {
		if (this.waitingFor != null) {
			this.endPending = true;
			return;
		}
		this.parser.finish();
		this.parsedToEnd = true;
		completeIfStored();
	}

	@Override
	public void abort() {
		this.held.clear();
		if (this.file != null) {
			this.file.discard();
			this.file = null;
		}
	}

	@Override
	public void onPartBegin(Part part) {
		if (part.name().length() > this.limits.maxNameBytes()) {
			throw new HttpException(413, "field name over " + this.limits.maxNameBytes() + " bytes")
				.withCode("field-name-too-large")
				.withLimit(this.limits.maxNameBytes());
		}
		if (!part.isFile()) {
			if (++this.fields > this.limits.maxFields()) {
				throw new HttpException(413, "more than " + this.limits.maxFields() + " fields")
					.withCode("too-many-fields")
					.withLimit(this.limits.maxFields());
			}
			this.field = part;
			this.valueLength = 0;
			return;
		}
		this.file = new FileReceiver(this.body, this.context, this.request,
				new UploadTarget(this.request.id(), part.name(), part.filename(), part.contentType(), -1), false);
		String md5 = part.headers().get("Content-MD5");
		if (md5 != null) {
			DigestFields.Expected expected = DigestFields.parseContentMd5(md5);
			this.file.expect(ContentReaders.algorithmOf(expected), expected.value(),
					"Content-MD5 of part " + part.name());
		}
		if (!this.file.open(this.parsing.remaining(), this::continueParsing)) {
			waitFor(PauseReason.FILE_OPENING);
		}
	}

	private void waitFor(PauseReason reason) {
		this.waitingFor = reason;
		this.parser.pause();
		this.body.pause(reason);
	}

	/** On the loop, once the file is open or stored: parses what arrived meanwhile. */
	private void continueParsing() {
		PauseReason was = this.waitingFor;
		this.waitingFor = null;
		this.parser.resume();
		ByteBuffer bytes = this.held.take();
		if (bytes != null) {
			onData(bytes);
		}
		if (this.waitingFor == null && this.endPending) {
			this.endPending = false;
			onEnd();
		}
		if (this.waitingFor != was) {
			this.body.resume(was); // a new wait for the same reason keeps the body paused
		}
	}

	private void parse(ByteBuffer data) {
		this.parsing = data;
		try {
			this.parser.parse(data);
		}
		finally {
			this.parsing = null;
		}
	}

	private void stored() {
		this.storing = false;
		if (this.waitingFor == PauseReason.STORING) {
			continueParsing();
		}
	}

	private void completeIfStored() {
		if (this.parsedToEnd && !this.storing) {
			this.body.complete();
		}
	}

	@Override
	public void onPartContent(ByteBuffer content) {
		if (this.file != null) {
			this.file.write(content);
			return;
		}
		int n = content.remaining();
		if (this.valueLength + n > this.limits.maxValueBytes()) {
			throw new HttpException(413, "field value over " + this.limits.maxValueBytes() + " bytes")
				.withCode("field-too-large")
				.withLimit(this.limits.maxValueBytes());
		}
		if (this.valueLength + n > this.value.length) {
			this.value = Arrays.copyOf(this.value, Math.max(this.valueLength + n, this.value.length * 2));
		}
		content.get(this.value, this.valueLength, n);
		this.valueLength += n;
	}

	@Override
	public void onPartEnd() {
		if (this.file != null) {
			FileReceiver received = this.file;
			this.file = null;
			this.storing = true;
			received.finish(this::stored);
			if (this.storing) {
				waitFor(PauseReason.STORING);
			}
			return;
		}
		String value = new String(this.value, 0, this.valueLength, charsetOf(this.field));
		if (this.field.name().equals("_charset_")) {
			this.defaultCharset = charsetNamed(value, this.defaultCharset);
		}
		this.request.addField(this.field.name(), value);
		this.field = null;
		if (this.value.length > 8192) {
			this.value = new byte[128];
		}
	}

	private Charset charsetOf(Part part) {
		return (part.charset() != null) ? charsetNamed(part.charset(), this.defaultCharset) : this.defaultCharset;
	}

	private static Charset charsetNamed(String name, Charset fallback) {
		try {
			return Charset.forName(name.trim());
		}
		catch (IllegalCharsetNameException | UnsupportedCharsetException ex) {
			return fallback;
		}
	}

}
