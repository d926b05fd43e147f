package io.evhttp.resumable;

import io.evhttp.http.HttpException;
import io.evhttp.server.Request;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * One request to the endpoint, its headers checked and decoded before any body byte is
 * read: which protocol, which operation, on which upload, at which offset.
 *
 * @param dialect protocol spoken
 * @param operation what is asked
 * @param id the upload named by the path, or {@code null} for the endpoint itself
 * @param offset {@code Upload-Offset}, or -1
 * @param length {@code Upload-Length} (or, in the draft, the offset-relative length that
 * {@code Upload-Complete: ?1} with {@code Content-Length} implies), or -1
 * @param complete the draft's {@code Upload-Complete}
 * @param metadata tus {@code Upload-Metadata}, checked, or empty
 * @param checksum digest of this request's content, or {@code null}
 * @param partial tus {@code Upload-Concat: partial}
 * @param parts tus {@code Upload-Concat: final;...}: ids of the partial uploads
 * @param hasBody whether content follows the head
 */
record RequestPlan(Dialect dialect, Operation operation, String id, long offset, long length, boolean complete,
		String metadata, Checksum checksum, boolean partial, List<String> parts, boolean hasBody) {

	static final String TUS_VERSION = "1.0.0";

	static final String TUS_CONTENT_TYPE = "application/offset+octet-stream";

	static final String PARTIAL_UPLOAD = "application/partial-upload";

	/**
	 * @return the plan, or {@code null} when the path is not the endpoint's
	 * @throws HttpException with the status either protocol names for a bad request
	 */
	static RequestPlan parse(Request request, ResumableOptions options) {
		String path = request.path();
		String base = options.basePath();
		String id;
		if (path.equals(base) || path.equals(base.substring(0, base.length() - 1))) {
			id = null;
		}
		else if (path.startsWith(base) && path.indexOf('/', base.length()) < 0) {
			id = path.substring(base.length());
		}
		else {
			return null;
		}
		Dialect dialect = dialectOf(request);
		String method = methodOf(request);
		Operation operation = operationOf(method, id);
		if (dialect == Dialect.PLAIN && operation != Operation.DISCOVER && operation != Operation.DOWNLOAD) {
			throw Answers.error(Dialect.TUS, 412, "Tus-Resumable missing").withHeader("Tus-Version", TUS_VERSION);
		}
		boolean hasBody = request.contentLength() != 0;
		if (hasBody && !operation.takesBody()) {
			throw Answers.error(dialect, 400, method + " with content");
		}
		try {
			return parseFields(request, dialect, operation, id, hasBody, options);
		}
		catch (NumberFormatException ex) {
			throw Answers.error(dialect, 400, "malformed number: " + ex.getMessage());
		}
	}

	private static RequestPlan parseFields(Request request, Dialect dialect, Operation operation, String id,
			boolean hasBody, ResumableOptions options) {
		long offset = number(request.header("Upload-Offset"), dialect);
		long length = number(request.header("Upload-Length"), dialect);
		boolean complete = false;
		String metadata = request.header("Upload-Metadata");
		checkMetadata(metadata, dialect);
		Checksum checksum = null;
		boolean partial = false;
		List<String> parts = List.of();
		if (dialect.isTus()) {
			String concat = request.header("Upload-Concat");
			if (operation == Operation.CREATE && concat != null) {
				if (concat.equals("partial")) {
					partial = true;
				}
				else if (concat.startsWith("final;")) {
					parts = partIds(concat.substring(6), options);
				}
				else {
					throw Answers.error(dialect, 400, "malformed Upload-Concat");
				}
			}
			String defer = request.header("Upload-Defer-Length");
			if (defer != null && !defer.equals("1")) {
				throw Answers.error(dialect, 400, "Upload-Defer-Length other than 1");
			}
			if (operation == Operation.CREATE) {
				checkTusCreation(parts, length, defer != null, hasBody, dialect);
			}
			if (operation == Operation.APPEND && offset < 0) {
				throw Answers.error(dialect, 400, "PATCH without Upload-Offset");
			}
			if (hasBody && !contentTypeIs(request, TUS_CONTENT_TYPE)) {
				throw Answers.error(dialect, 415, "content is not " + TUS_CONTENT_TYPE);
			}
			String sum = request.header("Upload-Checksum");
			checksum = (sum != null) ? Checksum.ofTus(sum) : null;
		}
		else if (dialect.isDraft() && operation.takesBody()) {
			complete = draftComplete(request.header("Upload-Complete"), dialect);
			if (operation == Operation.APPEND && offset < 0) {
				throw Answers.error(dialect, 400, "PATCH without Upload-Offset");
			}
			if (operation == Operation.APPEND && hasBody && dialect.interop() >= 6
					&& !contentTypeIs(request, PARTIAL_UPLOAD)) {
				throw Answers.error(dialect, 415, "content is not " + PARTIAL_UPLOAD);
			}
			if (operation == Operation.CREATE && complete && length >= 0 && request.contentLength() >= 0
					&& request.contentLength() != length) {
				throw Answers.inconsistentLength(dialect,
						"complete with " + request.contentLength() + " bytes, not with Upload-Length " + length);
			}
			String digest = request.header("Content-Digest");
			checksum = (digest != null) ? Checksum.ofContentDigest(digest) : null;
		}
		if (operation == Operation.CREATE && options.maxSize() >= 0 && length > options.maxSize()) {
			throw Answers.error(dialect, 413, "upload of " + length + " bytes over " + options.maxSize());
		}
		return new RequestPlan(dialect, operation, id, offset, length, complete, (metadata != null) ? metadata : "",
				checksum, partial, parts, hasBody);
	}

	/**
	 * The upload's length this request implies, given the upload's offset: -1 if none.
	 */
	long impliedLength(long uploadOffset, long contentLength) {
		if (this.length >= 0) {
			return this.length;
		}
		if (this.dialect.isDraft() && this.complete && contentLength >= 0) {
			return uploadOffset + contentLength;
		}
		return -1;
	}

	private static void checkTusCreation(List<String> parts, long length, boolean deferred, boolean hasBody,
			Dialect dialect) {
		if (!parts.isEmpty()) {
			if (length >= 0 || deferred || hasBody) {
				throw Answers.error(dialect, 400, "final upload with a length or content");
			}
		}
		else if ((length >= 0) == deferred) {
			throw Answers.error(dialect, 400, "creation needs one of Upload-Length and Upload-Defer-Length");
		}
	}

	private static Dialect dialectOf(Request request) {
		String interop = request.header("Upload-Draft-Interop-Version");
		if (interop != null) {
			int version;
			try {
				version = Integer.parseInt(interop.trim());
			}
			catch (NumberFormatException ex) {
				version = -1;
			}
			if (version < 5 || version > 8) {
				throw new HttpException(400, "unsupported Upload-Draft-Interop-Version " + interop);
			}
			return new Dialect(Dialect.Protocol.DRAFT, version);
		}
		String tus = request.header("Tus-Resumable");
		if (tus == null) {
			return Dialect.PLAIN;
		}
		if (!tus.equals(TUS_VERSION)) {
			throw Answers.error(Dialect.TUS, 412, "Tus-Resumable " + tus).withHeader("Tus-Version", TUS_VERSION);
		}
		return Dialect.TUS;
	}

	/** The method, or the one {@code X-HTTP-Method-Override} names on a POST. */
	private static String methodOf(Request request) {
		String override = request.header("X-HTTP-Method-Override");
		if (override != null && request.method().equals("POST")) {
			return override.trim().toUpperCase(Locale.ROOT);
		}
		return request.method();
	}

	private static Operation operationOf(String method, String id) {
		if (id == null) {
			return switch (method) {
				case "OPTIONS" -> Operation.DISCOVER;
				case "POST" -> Operation.CREATE;
				default -> throw HttpException.methodNotAllowed(List.of("OPTIONS", "POST"));
			};
		}
		return switch (method) {
			case "OPTIONS" -> Operation.DISCOVER;
			case "HEAD" -> Operation.INSPECT;
			case "GET" -> Operation.DOWNLOAD;
			case "PATCH" -> Operation.APPEND;
			case "DELETE" -> Operation.TERMINATE;
			default -> throw HttpException.methodNotAllowed(List.of("OPTIONS", "HEAD", "GET", "PATCH", "DELETE"));
		};
	}

	private static long number(String value, Dialect dialect) {
		if (value == null) {
			return -1;
		}
		String v = value.trim();
		if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			throw Answers.error(dialect, 400, "not a non-negative integer: " + value);
		}
		return Long.parseLong(v);
	}

	private static boolean draftComplete(String value, Dialect dialect) {
		if ("?1".equals(value)) {
			return true;
		}
		if ("?0".equals(value)) {
			return false;
		}
		throw Answers.error(dialect, 400, "Upload-Complete missing or not a boolean: " + value);
	}

	private static boolean contentTypeIs(Request request, String type) {
		String value = request.header("Content-Type");
		if (value == null) {
			return false;
		}
		int semi = value.indexOf(';');
		return ((semi < 0) ? value : value.substring(0, semi)).trim().equalsIgnoreCase(type);
	}

	/** tus metadata: comma-separated {@code key[ base64]}, keys unique ASCII tokens. */
	private static void checkMetadata(String metadata, Dialect dialect) {
		if (metadata == null || metadata.isBlank()) {
			return;
		}
		List<String> keys = new ArrayList<>();
		for (String pair : metadata.split(",")) {
			String[] kv = pair.trim().split(" ");
			if (kv.length > 2 || kv[0].isEmpty() || keys.contains(kv[0])
					|| !kv[0].chars().allMatch((c) -> c > ' ' && c < 127)) {
				throw Answers.error(dialect, 400, "malformed Upload-Metadata");
			}
			keys.add(kv[0]);
			if (kv.length == 2) {
				try {
					Base64.getDecoder().decode(kv[1]);
				}
				catch (IllegalArgumentException ex) {
					throw Answers.error(dialect, 400, "Upload-Metadata value is not base64");
				}
			}
		}
	}

	private static List<String> partIds(String urls, ResumableOptions options) {
		List<String> ids = new ArrayList<>();
		for (String url : urls.trim().split(" +")) {
			String path;
			try {
				path = URI.create(url).getPath();
			}
			catch (IllegalArgumentException ex) {
				throw Answers.error(Dialect.TUS, 400, "malformed partial upload URL");
			}
			if (path == null || !path.startsWith(options.basePath())
					|| path.indexOf('/', options.basePath().length()) >= 0) {
				throw Answers.error(Dialect.TUS, 400, "not a partial upload of this endpoint: " + url);
			}
			ids.add(path.substring(options.basePath().length()));
		}
		return ids;
	}

}
