package io.evhttp.demo;

import io.evhttp.http.HttpException;
import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.UploadListener;
import io.evhttp.server.UploadedFile;
import io.evhttp.spring.EvUploadHandler;
import io.evhttp.spring.Threading;
import io.evhttp.upload.DigestAlgorithm;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The echo contract ({@code CONTRACT.md}): {@code GET /hello}, and {@code POST /upload}
 * answering the query, fields and files as JSON. With {@code ?sha256=1} the SHA-256 of
 * each file is computed while it streams to disk, so the file is never read back. Runs on
 * the event loop: nothing here blocks. Files are deleted by the server once the answer is
 * written. Its uploads publish no events: the benchmarks send thousands a second, and
 * nothing here needs their progress.
 *
 * <p>
 * A body that is neither {@code multipart/form-data} nor urlencoded is refused with 415
 * before any of it is read: the echo has nothing to show of it, and answering 200 with
 * empty fields would drop it silently. A POST without a body and without a type is an
 * empty form (200): nothing is dropped, and a client sending nothing owes no type.
 */
@EvUploadHandler(path = { "/hello", "/upload" }, threading = Threading.EVENT_LOOP, events = false)
class EchoHandler implements Handler, UploadListener {

	private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

	private final JsonFactory json = new JsonFactory();

	@Override
	public boolean wantsFileWrites(Request request) {
		return false; // nothing to do per chunk: the server builds no view of it
	}

	@Override
	public void onHead(Request request) {
		if (request.path().equals("/upload")) {
			if (!request.method().equals("POST")) {
				throw HttpException.methodNotAllowed(List.of("POST"));
			}
			requireForm(request);
			if ("1".equals(request.queryParam("sha256"))) {
				request.digest(DigestAlgorithm.SHA_256);
			}
		}
		else if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
			throw HttpException.methodNotAllowed(List.of("GET", "HEAD"));
		}
	}

	/**
	 * Refuses with 415 a declared type that is not a form, and a body without a type; a
	 * malformed type is a 400. Only the type's essence is read here: the server checks
	 * the parameters (the boundary, a charset) when it reads the body.
	 */
	private static void requireForm(Request request) {
		String contentType = request.header("Content-Type");
		if (contentType == null) {
			if (request.contentLength() != 0) {
				throw new HttpException(415, "a body needs a multipart/form-data or urlencoded Content-Type");
			}
			return;
		}
		String essence = essence(contentType);
		if (!essence.equals("multipart/form-data") && !essence.equals("application/x-www-form-urlencoded")) {
			throw new HttpException(415, "neither multipart/form-data nor urlencoded: " + essence);
		}
	}

	/** {@code type/subtype} in lower case (RFC 9110 §8.3.1), or a 400. */
	static String essence(String contentType) {
		int semicolon = contentType.indexOf(';');
		String essence = ((semicolon < 0) ? contentType : contentType.substring(0, semicolon)).strip();
		int slash = essence.indexOf('/');
		if (slash <= 0 || !isToken(essence, 0, slash) || !isToken(essence, slash + 1, essence.length())) {
			throw HttpException.badRequest("malformed media type");
		}
		return essence.toLowerCase(Locale.ROOT);
	}

	private static boolean isToken(String s, int from, int to) {
		if (from >= to) {
			return false;
		}
		for (int i = from; i < to; i++) {
			char c = s.charAt(i);
			boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
			if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
				return false;
			}
		}
		return true;
	}

	@Override
	public void handle(Request request, Response response) {
		if (request.path().equals("/hello")) {
			response.send(200, "text/plain", HELLO);
			return;
		}
		response.send(200, "application/json", echo(request));
	}

	private byte[] echo(Request request) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		try (JsonGenerator g = this.json.createGenerator(ObjectWriteContext.empty(), out)) {
			g.writeStartObject();
			writeMultiMap(g, "query", request.query());
			writeMultiMap(g, "fields", request.fields());
			g.writeName("files");
			g.writeStartArray();
			for (UploadedFile file : request.files()) {
				g.writeStartObject();
				g.writeStringProperty("field", file.field());
				g.writeStringProperty("filename", file.filename());
				g.writeStringProperty("contentType", file.contentType());
				g.writeNumberProperty("size", file.size());
				if (file.digestHex() != null) {
					g.writeStringProperty("sha256", file.digestHex());
				}
				g.writeEndObject();
			}
			g.writeEndArray();
			g.writeEndObject();
		}
		return out.toByteArray();
	}

	private static void writeMultiMap(JsonGenerator g, String name, Map<String, List<String>> map) {
		g.writeName(name);
		g.writeStartObject();
		for (Map.Entry<String, List<String>> entry : map.entrySet()) {
			g.writeName(entry.getKey());
			g.writeStartArray();
			for (String value : entry.getValue()) {
				g.writeString(value);
			}
			g.writeEndArray();
		}
		g.writeEndObject();
	}

}
