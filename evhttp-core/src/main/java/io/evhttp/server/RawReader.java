package io.evhttp.server;

import io.evhttp.internal.http.DigestFields;
import io.evhttp.upload.UploadTarget;
import java.nio.ByteBuffer;

/**
 * Stores a body that is not a form (e.g. {@code curl -T}) as one file. Even an empty body
 * gets its (empty) file. RFC 9530: with no content coding, {@code Content-Digest} and
 * {@code Repr-Digest} both cover these bytes, and either is checked.
 */
final class RawReader implements ContentReader {

	private static final String[] DIGEST_FIELDS = { "Content-Digest", "Repr-Digest" };

	private final BodyControl body;

	private final FileReceiver file;

	private final HeldBytes held = new HeldBytes();

	private boolean opened;

	private boolean waiting;

	private boolean endPending;

	RawReader(BodyControl body, Request request, String contentType, BodyContext context) {
		this.body = body;
		String type = (contentType != null) ? contentType : "application/octet-stream";
		this.file = new FileReceiver(body, context, request,
				new UploadTarget(request.id(), "", null, type, request.contentLength()), true);
		for (String field : DIGEST_FIELDS) {
			String value = request.header(field);
			DigestFields.Expected expected = (value != null) ? DigestFields.parseDictionary(value, field) : null;
			if (expected != null) {
				this.file.expect(ContentReaders.algorithmOf(expected), expected.value(), field);
				break;
			}
		}
	}

	@Override
	public void onData(ByteBuffer data) {
		if (!this.opened) {
			open(data.remaining());
		}
		if (this.waiting) {
			this.held.hold(data);
			return;
		}
		this.file.write(data);
	}

	@Override
	public void onEnd() {
		if (!this.opened) {
			open(0);
		}
		if (this.waiting) {
			this.endPending = true;
			return;
		}
		this.file.finish(this.body::complete);
	}

	@Override
	public void abort() {
		this.held.clear();
		this.file.discard();
	}

	private void open(int bytesBehind) {
		this.opened = true;
		if (!this.file.open(bytesBehind, this::continueAfterOpen)) {
			this.waiting = true;
			this.body.pause(PauseReason.FILE_OPENING);
		}
	}

	/** On the loop, once the file is open: writes what arrived meanwhile. */
	private void continueAfterOpen() {
		this.waiting = false;
		ByteBuffer bytes = this.held.take();
		if (bytes != null) {
			this.file.write(bytes);
		}
		if (this.endPending) {
			onEnd();
		}
		this.body.resume(PauseReason.FILE_OPENING);
	}

}
