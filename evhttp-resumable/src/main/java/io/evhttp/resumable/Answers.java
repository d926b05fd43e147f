package io.evhttp.resumable;

import io.evhttp.http.HttpException;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The header fields each protocol puts on its answers, and its refusals. */
final class Answers {

	static final String TUS_EXTENSIONS = "creation,creation-with-upload,creation-defer-length,termination,"
			+ "expiration,checksum,concatenation";

	private static final String PROBLEMS = "https://iana.org/assignments/http-problem-types#";

	private Answers() {
	}

	/** A refusal carrying the fields its protocol puts on every answer. */
	static HttpException error(Dialect dialect, int status, String reason) {
		HttpException ex = new HttpException(status, reason);
		if (dialect.isTus()) {
			ex.withHeader("Tus-Resumable", RequestPlan.TUS_VERSION);
		}
		else if (dialect.isDraft()) {
			ex.withHeader("Upload-Complete", "?0");
		}
		return ex;
	}

	/** 409: the offset sent is not the upload's; the draft adds its problem document. */
	static HttpException offsetMismatch(Dialect dialect, long expected, long provided) {
		HttpException ex = error(dialect, 409, "offset " + provided + " is not " + expected).withHeader("Upload-Offset",
				Long.toString(expected));
		if (dialect.isDraft()) {
			ex.withBody("application/problem+json",
					json("{\"type\":\"" + PROBLEMS + "mismatching-upload-offset\","
							+ "\"title\":\"offset from request does not match offset of resource\",\"expected-offset\":"
							+ expected + ",\"provided-offset\":" + provided + "}"));
		}
		return ex;
	}

	/** 400: two lengths of one upload disagree. */
	static HttpException inconsistentLength(Dialect dialect, String reason) {
		HttpException ex = error(dialect, 400, reason);
		if (dialect.isDraft()) {
			ex.withBody("application/problem+json", json("{\"type\":\"" + PROBLEMS + "inconsistent-upload-length\","
					+ "\"title\":\"inconsistent length values for upload\"}"));
		}
		return ex;
	}

	/**
	 * Content that would carry the upload past an end: the draft's
	 * {@code completed-upload} (400) on a complete upload and
	 * {@code inconsistent-upload-length} (400) past its announced length; tus 413 for
	 * both; 413 past the size limit in either protocol.
	 */
	static HttpException beyond(Dialect dialect, UploadInfo info, boolean sizeLimit) {
		if (!dialect.isDraft() || sizeLimit) {
			return error(dialect, 413, "content beyond the upload's " + (sizeLimit ? "size limit" : "length"));
		}
		if (info.complete()) {
			return error(dialect, 400, "upload " + info.id() + " is complete").withBody("application/problem+json",
					json("{\"type\":\"" + PROBLEMS + "completed-upload\","
							+ "\"title\":\"upload is already completed\"}"));
		}
		return inconsistentLength(dialect, "content beyond the length of " + info.length());
	}

	/** Answers a refusal through the response (after the body was read). */
	static void send(Response response, HttpException ex) {
		response.status(ex.status());
		List<String> headers = ex.headers();
		for (int i = 0; i < headers.size(); i += 2) {
			response.header(headers.get(i), headers.get(i + 1));
		}
		if (ex.body() != null) {
			response.contentType(ex.bodyType());
			response.send(ex.body());
		}
		else {
			response.send(new byte[0]);
		}
	}

	/** The URL of an upload: absolute, from the configured base or the request's host. */
	static String url(Request request, ResumableOptions options, String id) {
		if (options.baseUrl() != null) {
			return options.baseUrl() + id;
		}
		String host = request.host();
		return (host != null) ? "http://" + host + options.basePath() + id : options.basePath() + id;
	}

	/** {@code Upload-Limit} (draft §4.1.4); {@code min-size=0} when there is no limit. */
	static String limit(ResumableOptions options, Instant expiresAt, Instant now) {
		String size = (options.maxSize() >= 0) ? "max-size=" + options.maxSize() : "min-size=0";
		long age = (expiresAt != null) ? Math.max(0, Duration.between(now, expiresAt).getSeconds())
				: options.expiry().getSeconds();
		return size + ", max-age=" + age;
	}

	/** {@code Upload-Expires}: an HTTP date (RFC 9110 §5.6.7). */
	static String httpDate(Instant instant) {
		return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
	}

	/** What the server offers: tus discovery and the draft's limits. */
	static void discover(Response response, ResumableOptions options, Instant now) {
		response.status(204)
			.header("Tus-Resumable", RequestPlan.TUS_VERSION)
			.header("Tus-Version", RequestPlan.TUS_VERSION)
			.header("Tus-Extension", TUS_EXTENSIONS)
			.header("Tus-Checksum-Algorithm", Checksum.TUS_ALGORITHMS)
			.header("Upload-Limit", limit(options, null, now));
		if (options.maxSize() >= 0) {
			response.header("Tus-Max-Size", Long.toString(options.maxSize()));
		}
		response.send(new byte[0]);
	}

	/** The fields of an upload's state, for {@code HEAD}, {@code PATCH} and creation. */
	static void state(Response response, Dialect dialect, UploadInfo info, ResumableOptions options, Instant now) {
		response.header("Upload-Offset", Long.toString(info.offset()));
		if (dialect.isDraft()) {
			response.header("Upload-Complete", info.complete() ? "?1" : "?0");
			response.header("Upload-Limit", limit(options, info.expiresAt(), now));
			if (!info.lengthDeferred()) {
				response.header("Upload-Length", Long.toString(info.length()));
			}
			return;
		}
		response.header("Tus-Resumable", RequestPlan.TUS_VERSION);
		response.header("Upload-Expires", httpDate(info.expiresAt()));
	}

	/** {@code HEAD}: the whole state, never cached. */
	static void inspect(Response response, Dialect dialect, UploadInfo info, ResumableOptions options, Instant now) {
		response.status(dialect.isDraft() ? 204 : 200).header("Cache-Control", "no-store");
		state(response, dialect, info, options, now);
		if (!dialect.isDraft()) {
			if (info.lengthDeferred()) {
				response.header("Upload-Defer-Length", "1");
			}
			else {
				response.header("Upload-Length", Long.toString(info.length()));
			}
			if (!info.metadata().isEmpty()) {
				response.header("Upload-Metadata", info.metadata());
			}
			if (info.partial()) {
				response.header("Upload-Concat", "partial");
			}
			else if (info.isFinal()) {
				response.header("Upload-Concat", "final;"
						+ String.join(" ", info.parts().stream().map((id) -> options.basePath() + id).toList()));
			}
		}
		response.send(new byte[0]);
	}

	private static byte[] json(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
