package io.evhttp.server;

import io.evhttp.internal.form.UrlencodedDecoder;
import io.evhttp.internal.http.DigestFields;
import io.evhttp.internal.http.MediaType;
import io.evhttp.internal.multipart.MultipartParser;
import io.evhttp.upload.DigestAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Chooses the reader for a request body, by what the application and its type ask. */
final class ContentReaders {

	private ContentReaders() {
	}

	/**
	 * A {@link BodyConsumer} set by the application takes the body as it is;
	 * {@code multipart/form-data} and urlencoded forms are decoded; any other body goes
	 * whole to one file.
	 */
	static ContentReader forRequest(Request request, BodyContext context, BodyControl body) {
		BodyConsumer consumer = request.settings().bodyConsumer;
		if (consumer != null) {
			return consumed(consumer, body);
		}
		String contentType = request.header("Content-Type");
		MediaType type = (contentType != null) ? MediaType.parse(contentType) : null;
		if (type != null && type.is("multipart", "form-data")) {
			String boundary = MultipartParser.boundaryOf(type);
			context.uploads().onMultipart(request);
			return new MultipartReader(body, request, boundary, context);
		}
		if (type != null && type.is("application", "x-www-form-urlencoded")) {
			return urlencoded(new UrlencodedDecoder(context.options().limits().form(), 413, StandardCharsets.UTF_8,
					request::addField), body);
		}
		return new RawReader(body, request, contentType, context);
	}

	private static ContentReader consumed(BodyConsumer consumer, BodyControl body) {
		return new ContentReader() {

			@Override
			public void onData(ByteBuffer data) throws IOException {
				consumer.onData(data.slice()); // the application's own view
				data.position(data.limit());
			}

			@Override
			public void onEnd() throws IOException {
				consumer.onEnd();
				body.complete();
			}

			@Override
			public void abort() {
				consumer.onAbort();
			}

			@Override
			public boolean storesFiles() {
				return false;
			}

		};
	}

	private static ContentReader urlencoded(UrlencodedDecoder decoder, BodyControl body) {
		return new ContentReader() {

			@Override
			public void onData(ByteBuffer data) {
				decoder.decode(data);
			}

			@Override
			public void onEnd() {
				decoder.finish();
				body.complete();
			}

			@Override
			public void abort() {
			}

			@Override
			public boolean storesFiles() {
				return false;
			}

		};
	}

	/** The digest algorithm named by a client's digest field. */
	static DigestAlgorithm algorithmOf(DigestFields.Expected expected) {
		return switch (expected.algorithm()) {
			case "sha-512" -> DigestAlgorithm.SHA_512;
			case "sha-256" -> DigestAlgorithm.SHA_256;
			default -> DigestAlgorithm.MD5;
		};
	}

}
