package io.evhttp.demo;

import io.evhttp.http.HttpException;
import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.UploadListener;
import io.evhttp.spring.EvUploadHandler;
import io.evhttp.upload.DigestAlgorithm;
import io.evhttp.server.UploadedFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.InvalidPathException;
import java.util.HexFormat;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.util.unit.DataSize;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * A small file store: {@code POST /files} keeps each uploaded file, never overwriting,
 * {@code GET /files} lists them, {@code GET /files/NAME} downloads one. Where they are
 * kept is {@link StoredFiles}' business: a folder on disk (moved out of tmp-path with an
 * atomic rename, downloaded with sendfile), or with {@code evhttp.storage.type=s3} the
 * upload bucket (kept by a copy inside S3, downloaded as a stream). Names come from
 * {@link UploadedFile#safeFilename()}, so nothing a client sends can leave the storage
 * folder or prefix; a name already taken gets a number, a name too long for a file system
 * is shortened (keeping its extension). A download's name that no stored file can have
 * (NUL, {@code %2F}, {@code ..}, invalid UTF-8, too long) is a 404, checked before the
 * store sees it.
 */
@EvUploadHandler(path = { "/files", "/files/*" }, maxFileSize = "${demo.max-file-size:100MB}")
class FileStore implements Handler, UploadListener {

	/** Longest file name, in UTF-8 bytes, of the usual file systems (ext4, XFS, APFS). */
	private static final int MAX_NAME_BYTES = 255;

	/** Longest ending after a dot kept as an extension when a long name is shortened. */
	private static final int MAX_EXTENSION_BYTES = 32;

	private final StoredFiles files;

	private final long maxFileBytes;

	private final JsonFactory json = new JsonFactory();

	FileStore(StoredFiles files, @Value("${demo.max-file-size:100MB}") DataSize maxFileSize) {
		this.files = files;
		this.maxFileBytes = maxFileSize.toBytes();
	}

	@Override
	public void onHead(Request request) {
		boolean list = request.path().equals("/files");
		if (list && request.method().equals("POST")) {
			request.digest(DigestAlgorithm.SHA_256);
		}
		else if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
			throw HttpException.methodNotAllowed(list ? List.of("GET", "HEAD", "POST") : List.of("GET", "HEAD"));
		}
	}

	@Override
	public void handle(Request request, Response response) throws IOException {
		if (request.path().equals("/files")) {
			if (request.method().equals("POST")) {
				store(request, response);
			}
			else {
				list(response);
			}
			return;
		}
		download(request, response);
	}

	private void store(Request request, Response response) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (JsonGenerator g = this.json.createGenerator(ObjectWriteContext.empty(), out)) {
			g.writeStartObject();
			g.writeName("files");
			g.writeStartArray();
			for (UploadedFile file : request.files()) {
				String name = keep(file);
				g.writeStartObject();
				g.writeStringProperty("field", file.field());
				g.writeStringProperty("filename", file.filename());
				g.writeStringProperty("name", name);
				g.writeNumberProperty("size", file.size());
				g.writeStringProperty("sha256", file.digestHex());
				g.writeEndObject();
			}
			g.writeEndArray();
			g.writeEndObject();
		}
		response.send(200, "application/json", out.toByteArray());
	}

	private String keep(UploadedFile file) throws IOException {
		String name = file.safeFilename();
		int dot = name.lastIndexOf('.');
		boolean hasExtension = dot > 0 && utf8Length(name.substring(dot)) <= MAX_EXTENSION_BYTES;
		String stem = hasExtension ? name.substring(0, dot) : name;
		String extension = hasExtension ? name.substring(dot) : "";
		for (int n = 0;; n++) {
			String suffix = ((n == 0) ? "" : " (" + n + ")") + extension;
			String target = truncate(stem, MAX_NAME_BYTES - utf8Length(suffix)) + suffix;
			try {
				this.files.keep(file, target);
				return target;
			}
			catch (FileAlreadyExistsException ex) {
				// taken: try the next number
			}
		}
	}

	/** The longest start of {@code s}, whole code points, of at most {@code maxBytes}. */
	private static String truncate(String s, int maxBytes) {
		int end = 0;
		int bytes = 0;
		while (end < s.length()) {
			int c = s.codePointAt(end);
			bytes += (c < 0x80) ? 1 : (c < 0x800) ? 2 : (c < 0x10000) ? 3 : 4;
			if (bytes > maxBytes) {
				break;
			}
			end += Character.charCount(c);
		}
		return s.substring(0, end);
	}

	private static int utf8Length(String s) {
		return s.getBytes(StandardCharsets.UTF_8).length;
	}

	private void list(Response response) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (JsonGenerator g = this.json.createGenerator(ObjectWriteContext.empty(), out)) {
			g.writeStartArray();
			for (StoredFiles.Entry entry : this.files.list()) {
				g.writeStartObject();
				g.writeStringProperty("name", entry.name());
				g.writeNumberProperty("size", entry.size());
				g.writeStringProperty("modified", entry.modified().toString());
				g.writeEndObject();
			}
			g.writeEndArray();
		}
		// the limit as the resumable-upload draft writes it, so the page checks sizes
		// first
		response.header("Cache-Control", "no-store")
			.header("Upload-Limit", "max-size=" + this.maxFileBytes)
			.send(200, "application/json", out.toByteArray());
	}

	private void download(Request request, Response response) throws IOException {
		String name = storedName(request.path().substring("/files/".length()));
		boolean found = false;
		try {
			found = name != null && this.files.exists(name);
		}
		catch (InvalidPathException ex) {
			// a character this platform's file names cannot hold (Windows: <>"|?*)
		}
		if (!found) {
			response.status(404).send("Not Found\n");
			return;
		}
		String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
		response.header("Content-Disposition", "attachment; filename*=UTF-8''" + encoded)
			.header("X-Content-Type-Options", "nosniff")
			.contentType("application/octet-stream");
		this.files.send(name, response);
	}

	/**
	 * The name a path segment stands for, or {@code null} when it cannot be a stored
	 * file's name: a malformed escape or invalid UTF-8 (RFC 3986 §2.1, decoded strictly;
	 * a {@code +} is a plus, not a space), a separator, a control character (NUL
	 * included), a leading dot, or longer than a file name may be. Checked before the
	 * name comes near the file system, which would refuse some of them with an exception.
	 */
	private static String storedName(String segment) {
		byte[] bytes = percentDecode(segment);
		if (bytes == null || bytes.length == 0 || bytes.length > MAX_NAME_BYTES) {
			return null;
		}
		String name;
		try {
			name = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
		boolean unsafe = name.startsWith(".") || name.codePoints()
			.anyMatch((c) -> c == '/' || c == '\\' || c == ':' || c == 0x7F || Character.isISOControl(c));
		return unsafe ? null : name;
	}

	/**
	 * The bytes of an ASCII string with {@code %XX} escapes, or {@code null} if
	 * malformed.
	 */
	private static byte[] percentDecode(String s) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c > 0x7F) {
				return null; // a request target is ASCII
			}
			if (c != '%') {
				bytes.write(c);
				continue;
			}
			if (i + 2 >= s.length() || !HexFormat.isHexDigit(s.charAt(i + 1))
					|| !HexFormat.isHexDigit(s.charAt(i + 2))) {
				return null;
			}
			bytes.write(HexFormat.fromHexDigit(s.charAt(i + 1)) * 16 + HexFormat.fromHexDigit(s.charAt(i + 2)));
			i += 2;
		}
		return bytes.toByteArray();
	}

}
