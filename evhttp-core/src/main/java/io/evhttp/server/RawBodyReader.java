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

	/**
	 * Creates the file off the loop; {@code null} when this reader runs off the loop
	 * already.
	 */
	private final FileOpening opening;

	private FileSink sink;

	RawBodyReader(Request request, String contentType, UploadContext context, FileOpening opening) {
		this.request = request;
		this.contentType = (contentType != null) ? contentType : "application/octet-stream";
		this.context = context;
		this.opening = opening;
	}

	@Override
	public void onData(ByteBuffer data) throws IOException {
		if (this.sink == null && this.opening != null
				&& (this.opening.isWaiting() || this.opening.offLoop(data.remaining()))) {
			if (!this.opening.isWaiting()) {
				startOpening();
			}
			this.opening.hold(data);
			return;
		}
		if (this.sink == null) {
			opened(newFile());
		}
		FileWrites.write(this.sink, data, this.request, this.context);
	}

	/** Even an empty body gets its (empty) file, so the end waits for it. */
	@Override
	public boolean completesLater() {
		return this.sink == null && this.opening != null;
	}

	@Override
	public void onEnd() throws IOException {
		if (this.sink == null && this.opening != null) {
			this.opening.endBody();
			if (!this.opening.isWaiting()) {
				startOpening();
			}
			return;
		}
		if (this.sink == null) {
			opened(newFile());
		}
		finish();
	}

	private void finish() throws IOException {
		this.sink.finish();
		this.sink = null;
		this.context.uploads().onFileReceived(this.request, this.request.body());
	}

	private void startOpening() {
		this.opening.open(this::newFile, (sink) -> {
			opened(sink);
			ByteBuffer held = this.opening.takeHeld();
			if (held != null) {
				FileWrites.write(this.sink, held, this.request, this.context);
			}
			this.opening.continueBody(this::finish);
		});
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

	private FileSink newFile() throws IOException {
		return FileSink.open(this.context.store(), "", null, this.contentType,
				this.request.digestOr(this.context.options().uploads().digest()),
				this.request.maxFileBytesOr(this.context.options().limits().maxFileBytes()));
	}

	private void opened(FileSink sink) {
		this.sink = sink;
		verifyAgainstClientDigest();
		this.request.setBody(this.sink.file());
		this.context.uploads().onFileOpen(this.request, this.sink.file());
	}

}
