package io.evhttp.demo;

import io.evhttp.http.HttpException;
import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.UploadListener;
import io.evhttp.spring.EvUploadHandler;
import io.evhttp.upload.DigestAlgorithm;
import io.evhttp.upload.UploadedFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * A small file store: {@code POST /files} keeps each uploaded file (moved out of tmp-path
 * with an atomic rename, never overwriting), {@code GET /files} lists them,
 * {@code GET /files/NAME} downloads one with sendfile. Names come from
 * {@link UploadedFile#safeFilename()}, so nothing a client sends can leave the storage
 * folder; a name already taken gets a number.
 */
@EvUploadHandler(path = { "/files", "/files/*" }, maxFileSize = "${demo.max-file-size:100MB}")
class FileStore implements Handler, UploadListener {

	private final Path storage;

	private final JsonFactory json = new JsonFactory();

	FileStore(@Value("${demo.storage-path:${java.io.tmpdir}/evhttp-demo-files}") Path storage) throws IOException {
		this.storage = Files.createDirectories(storage).toRealPath();
	}

	@Override
	public void onHead(Request request) {
		boolean list = request.path().equals("/files");
		if (list && request.method().equals("POST")) {
			request.digest(DigestAlgorithm.SHA_256);
		}
		else if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
			throw new HttpException(405, "method not allowed");
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
				Path target = moveToStorage(file);
				g.writeStartObject();
				g.writeStringProperty("field", file.field());
				g.writeStringProperty("filename", file.filename());
				g.writeStringProperty("name", target.getFileName().toString());
				g.writeNumberProperty("size", file.size());
				g.writeStringProperty("sha256", file.digestHex());
				g.writeEndObject();
			}
			g.writeEndArray();
			g.writeEndObject();
		}
		response.send(200, "application/json", out.toByteArray());
	}

	private Path moveToStorage(UploadedFile file) throws IOException {
		String name = file.safeFilename();
		int dot = name.lastIndexOf('.');
		String stem = (dot > 0) ? name.substring(0, dot) : name;
		String extension = (dot > 0) ? name.substring(dot) : "";
		for (int n = 0;; n++) {
			Path target = this.storage.resolve((n == 0) ? name : stem + " (" + n + ")" + extension);
			try {
				return file.moveTo(target);
			}
			catch (FileAlreadyExistsException ex) {
				// taken: try the next number
			}
		}
	}

	private void list(Response response) throws IOException {
		List<Path> files = new ArrayList<>();
		try (Stream<Path> stream = Files.list(this.storage)) {
			stream.filter((p) -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
				.sorted(Comparator.reverseOrder())
				.forEach(files::add);
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (JsonGenerator g = this.json.createGenerator(ObjectWriteContext.empty(), out)) {
			g.writeStartArray();
			for (Path file : files) {
				BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
				g.writeStartObject();
				g.writeStringProperty("name", file.getFileName().toString());
				g.writeNumberProperty("size", attributes.size());
				g.writeStringProperty("modified", attributes.lastModifiedTime().toString());
				g.writeEndObject();
			}
			g.writeEndArray();
		}
		response.header("Cache-Control", "no-store").send(200, "application/json", out.toByteArray());
	}

	private void download(Request request, Response response) throws IOException {
		String name;
		try {
			name = URLDecoder.decode(request.path().substring("/files/".length()), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			name = "";
		}
		Path file = this.storage.resolve(name).normalize();
		if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")
				|| !file.getParent().equals(this.storage) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
			response.status(404).send("Not Found\n");
			return;
		}
		String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
		response.header("Content-Disposition", "attachment; filename*=UTF-8''" + encoded)
			.header("X-Content-Type-Options", "nosniff")
			.contentType("application/octet-stream")
			.sendFile(file);
	}

}
