package io.evhttp.server;

import io.evhttp.form.FormLimits;
import io.evhttp.http.DigestFields;
import io.evhttp.http.HttpException;
import io.evhttp.multipart.MultipartListener;
import io.evhttp.multipart.MultipartParser;
import io.evhttp.multipart.Part;
import io.evhttp.upload.FileSink;
import io.evhttp.upload.UploadedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;

/**
 * Turns a {@code multipart/form-data} body into fields (held in memory, capped) and files
 * (streamed to temp files). Field values are decoded with the part's charset, else the
 * {@code _charset_} field's (RFC 7578 §4.6), else UTF-8.
 */
final class MultipartBodyReader implements BodyReader, MultipartListener {

	private final Request request;

	private final UploadContext context;

	private final MultipartParser parser;

	private final FormLimits limits;

	/**
	 * Creates files off the loop; {@code null} when this reader runs off the loop
	 * already.
	 */
	private final FileOpening opening;

	/** The bytes being parsed: what is left of them follows a new part's headers. */
	private ByteBuffer parsing;

	private FileSink sink;

	private Part field;

	private byte[] value = new byte[128];

	private int valueLength;

	private int fields;

	private Charset defaultCharset = StandardCharsets.UTF_8;

	MultipartBodyReader(Request request, String boundary, UploadContext context, FileOpening opening) {
		this.request = request;
		this.context = context;
		this.opening = opening;
		this.limits = context.options().limits().form();
		this.parser = new MultipartParser(boundary, context.options().limits().multipart(), this);
	}

	@Override
	public void onData(ByteBuffer data) {
		if (this.opening != null && this.opening.isWaiting()) {
			this.opening.hold(data);
			return;
		}
		parse(data);
		if (this.opening != null) {
			this.opening.hold(data); // what is left when the parser stopped at a new file
		}
	}

	@Override
	public void onEnd() {
		if (this.opening != null && this.opening.isWaiting()) {
			this.opening.endBody();
			return;
		}
		this.parser.finish();
	}

	@Override
	public boolean completesLater() {
		return this.opening != null && this.opening.isWaiting();
	}

	@Override
	public void abort() {
		if (this.opening != null) {
			this.opening.abort();
		}
		if (this.sink != null) {
			this.sink.abort();
			this.sink = null;
		}
	}

	@Override
	public void onPartBegin(Part part) {
		if (part.name().length() > this.limits.maxNameBytes()) {
			throw new HttpException(413, "field name over " + this.limits.maxNameBytes() + " bytes");
		}
		if (part.isFile()) {
			FileOpening.Open open = () -> FileSink.open(this.context.store(), part.name(), part.filename(),
					part.contentType(), this.request.digestOr(this.context.options().uploads().digest()),
					this.request.maxFileBytesOr(this.context.options().limits().maxFileBytes()));
			if (this.opening == null || !this.opening.offLoop(this.parsing.remaining())) {
				try {
					fileOpened(part, open.open());
				}
				catch (IOException ex) {
					throw BodyReader.diskError(ex);
				}
				return;
			}
			this.parser.pause();
			this.opening.open(open, (sink) -> {
				fileOpened(part, sink);
				this.parser.resume();
				continueWithHeldBytes();
			});
		}
		else {
			if (++this.fields > this.limits.maxFields()) {
				throw new HttpException(413, "more than " + this.limits.maxFields() + " fields");
			}
			this.field = part;
			this.valueLength = 0;
		}
	}

	private void fileOpened(Part part, FileSink sink) {
		this.sink = sink;
		String md5 = part.headers().get("Content-MD5");
		if (md5 != null) {
			DigestFields.Expected expected = DigestFields.parseContentMd5(md5);
			this.sink.verify(BodyReader.algorithmOf(expected), expected.value(), "Content-MD5 of part " + part.name());
		}
		this.request.addFile(this.sink.file());
		this.context.uploads().onFileOpen(this.request, this.sink.file());
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

	/** On the loop, once a file is open: parses what arrived meanwhile. */
	private void continueWithHeldBytes() throws IOException {
		ByteBuffer held = this.opening.takeHeld();
		if (held != null) {
			parse(held);
			this.opening.hold(held); // what is left when another file part is created
		}
		if (!this.opening.isWaiting()) {
			this.opening.continueBody(this.parser::finish);
		}
	}

	@Override
	public void onPartContent(ByteBuffer content) {
		if (this.sink != null) {
			FileWrites.write(this.sink, content, this.request, this.context);
			return;
		}
		int n = content.remaining();
		if (this.valueLength + n > this.limits.maxValueBytes()) {
			throw new HttpException(413, "field value over " + this.limits.maxValueBytes() + " bytes");
		}
		if (this.valueLength + n > this.value.length) {
			this.value = Arrays.copyOf(this.value, Math.max(this.valueLength + n, this.value.length * 2));
		}
		content.get(this.value, this.valueLength, n);
		this.valueLength += n;
	}

	@Override
	public void onPartEnd() {
		if (this.sink != null) {
			UploadedFile file;
			try {
				file = this.sink.finish();
			}
			catch (IOException ex) {
				throw BodyReader.diskError(ex);
			}
			this.sink = null;
			this.context.uploads().onFileReceived(this.request, file);
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
