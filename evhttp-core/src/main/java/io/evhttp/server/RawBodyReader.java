package io.evhttp.server;

import io.evhttp.http.DigestFields;
import io.evhttp.upload.FileSink;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Streams a body that is not a form (e.g. {@code curl -T}) to one temp file. */
final class RawBodyReader implements BodyReader {

	private final Request request;

	private final String contentType;

	private final UploadContext context;

	private FileSink sink;

	RawBodyReader(Request request, String contentType, UploadContext context) {
		this.request = request;
		this.contentType = (contentType != null) ? contentType : "application/octet-stream";
		this.context = context;
	}

	@Override
	public void onData(ByteBuffer data) throws IOException {
		if (this.sink == null) {
			open();
		}
		FileWrites.write(this.sink, data, this.request, this.context);
	}

	@Override
	public void onEnd() throws IOException {
		if (this.sink == null) {
			open();
		}
		this.sink.finish();
		this.sink = null;
		this.context.uploads().onFileReceived(this.request, this.request.body());
	}

	@Override
	public void abort() {
		if (this.sink != null) {
			this.sink.abort();
			this.sink = null;
		}
	}

	/**
	 * RFC 9530: with no content coding, Content-Digest and Repr-Digest both cover these
	 * bytes.
	 */
	private void verifyAgainstClientDigest() {
		for (String field : new String[] { "Content-Digest", "Repr-Digest" }) {
			String value = this.request.header(field);
			if (value != null) {
				DigestFields.Expected expected = DigestFields.parseDictionary(value, field);
				if (expected != null) {
					this.sink.verify(BodyReader.algorithmOf(expected), expected.value(), field);
					return;
				}
			}
		}
	}

	private void open() throws IOException {
		try {
			this.sink = FileSink.open(this.context.store(), "", null, this.contentType,
					this.request.digestOr(this.context.options().digest()),
					this.request.maxFileBytesOr(this.context.options().maxFileBytes()));
		}
		catch (IOException ex) {
			throw BodyReader.diskError(ex);
		}
		verifyAgainstClientDigest();
		this.request.setBody(this.sink.file());
		this.context.uploads().onFileOpen(this.request, this.sink.file());
	}

}
