package io.evhttp.server;

import io.evhttp.form.UrlencodedDecoder;
import io.evhttp.http.HttpException;
import io.evhttp.http.MediaType;
import io.evhttp.multipart.MultipartParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;

/**
 * Consumes a request body as it arrives. Implementations decode forms into fields and
 * stream files to disk; each runs on the event loop only.
 */
interface BodyReader {

	/**
	 * Takes all of {@code data} (the loop's read buffer narrowed to this body's bytes:
	 * never kept, its limit never changed), advancing its position to its limit.
	 */
	void onData(ByteBuffer data) throws IOException;

	/** The body is complete. */
	void onEnd() throws IOException;

	/** The request failed: close and delete what was written. Never throws. */
	void abort();

	/**
	 * Whether {@link #onEnd()} only starts the end, and the connection hears of it later.
	 */
	default boolean completesLater() {
		return false;
	}

	/**
	 * Whether the body goes to files in tmp-path (and so counts against the disk budget).
	 */
	default boolean writesFiles() {
		return true;
	}

	/**
	 * Chooses the reader for a request's {@code Content-Type}:
	 * {@code multipart/form-data} and urlencoded forms are decoded; any other body goes
	 * whole to one temp file.
	 */
	static BodyReader forRequest(Request request, UploadContext context, Connection connection) {
		BodyConsumer consumer = request.bodyConsumer();
		if (consumer != null) {
			return new BodyReader() {

				@Override
				public void onData(ByteBuffer data) throws IOException {
					consumer.onData(data.slice()); // the application's own view
					data.position(data.limit());
				}

				@Override
				public void onEnd() throws IOException {
					consumer.onEnd();
				}

				@Override
				public void abort() {
					consumer.onAbort();
				}

				@Override
				public boolean writesFiles() {
					return false;
				}

			};
		}
		String contentType = request.header("Content-Type");
		MediaType type = (contentType != null) ? MediaType.parse(contentType) : null;
		Executor disk = context.options().uploads().diskWriteExecutor();
		if (type != null && type.is("multipart", "form-data")) {
			String boundary = MultipartParser.boundaryOf(type);
			context.uploads().onMultipart(request);
			if (disk != null) {
				return new OffloadedBodyReader(connection, request, disk,
						(c) -> new MultipartBodyReader(request, boundary, c, null), context);
			}
			return new MultipartBodyReader(request, boundary, context, fileOpening(request, context, connection));
		}
		if (type != null && type.is("application", "x-www-form-urlencoded")) {
			UrlencodedDecoder decoder = new UrlencodedDecoder(context.options().limits().form(), 413,
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

				@Override
				public boolean writesFiles() {
					return false;
				}

			};
		}
		if (disk != null) {
			return new OffloadedBodyReader(connection, request, disk,
					(c) -> new RawBodyReader(request, contentType, c, null), context);
		}
		return new RawBodyReader(request, contentType, context, fileOpening(request, context, connection));
	}

	/** Files are created off the loop, unless the server creates them inline. */
	private static FileOpening fileOpening(Request request, UploadContext context, Connection connection) {
		return (context.fileOpens() != null) ? new FileOpening(connection, request, context.fileOpens()) : null;
	}

	/** The digest algorithm named by a client's digest field. */
	static io.evhttp.upload.DigestAlgorithm algorithmOf(io.evhttp.http.DigestFields.Expected expected) {
		return switch (expected.algorithm()) {
			case "sha-512" -> io.evhttp.upload.DigestAlgorithm.SHA_512;
			case "sha-256" -> io.evhttp.upload.DigestAlgorithm.SHA_256;
			default -> io.evhttp.upload.DigestAlgorithm.MD5;
		};
	}

	/**
	 * Thrown by readers for a failed disk write: answered with 500 (507 when the disk is
	 * full).
	 */
	static HttpException diskError(IOException ex) {
		String message = String.valueOf(ex.getMessage());
		boolean full = message.contains("No space left") || message.contains("Disk quota");
		return new HttpException(full ? 507 : 500, "writing upload failed: " + ex, ex);
	}

	/**
	 * The answer for a body step that failed away from the connection's own call stack
	 * (on an executor, or in a task the loop runs later).
	 */
	static HttpException failure(Exception ex) {
		if (ex instanceof HttpException http) {
			return http;
		}
		if (ex instanceof IOException io) {
			return diskError(io);
		}
		return new HttpException(500, "body processing failed: " + ex, ex);
	}

}
