package io.evhttp.server;

import io.evhttp.form.UrlencodedDecoder;
import io.evhttp.http.HttpException;
import io.evhttp.http.MediaType;
import io.evhttp.multipart.MultipartParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Consumes a request body as it arrives. Implementations decode forms into fields and stream
 * files to disk; each runs on the event loop only.
 */
interface BodyReader {

	/**
	 * Takes all of {@code data} (a slice of the loop's read buffer: never kept), advancing its
	 * position to its limit.
	 */
	void onData(ByteBuffer data) throws IOException;

	/** The body is complete. */
	void onEnd() throws IOException;

	/** The request failed: close and delete what was written. Never throws. */
	void abort();

	/**
	 * Chooses the reader for a request's {@code Content-Type}: {@code multipart/form-data} and
	 * urlencoded forms are decoded; any other body goes whole to one temp file.
	 */
	static BodyReader forRequest(Request request, UploadContext context) {
		String contentType = request.header("Content-Type");
		MediaType type = (contentType != null) ? MediaType.parse(contentType) : null;
		if (type != null && type.is("multipart", "form-data")) {
			String boundary = MultipartParser.boundaryOf(type);
			context.uploads().onMultipart(request);
			return new MultipartBodyReader(request, boundary, context);
		}
		if (type != null && type.is("application", "x-www-form-urlencoded")) {
			UrlencodedDecoder decoder = new UrlencodedDecoder(context.options().formLimits(), 413,
					StandardCharsets.UTF_8, request::addField);
			return new BodyReader() {

				@Override
				public void onData(ByteBuffer data) {
					decoder.decode(data);
				}

				@Override
				public void onEnd() {
					decoder.finish();
				}

				@Override
				public void abort() {
				}

			};
		}
		return new RawBodyReader(request, contentType, context);
	}

	/** Thrown by readers for a failed disk write: answered with 500 (507 when the disk is full). */
	static HttpException diskError(IOException ex) {
		String message = String.valueOf(ex.getMessage());
		boolean full = message.contains("No space left") || message.contains("Disk quota");
		return new HttpException(full ? 507 : 500, "writing upload failed: " + ex, ex);
	}

}
