package io.evhttp.spring.method;

import io.evhttp.server.UploadedFile;
import io.evhttp.spring.EvUploadHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriUtils;

/** The example of the README's "Handler methods", kept compiling and tested. */
@EvUploadHandler(path = "/files/**")
class FileStore {

	private final Path storage;

	FileStore(@Value("${files.dir:uploads}") Path storage) {
		this.storage = storage;
	}

	record Stored(String name, long size) {
	}

	@PostMapping // POST /files
	ResponseEntity<Stored> store(@RequestParam UploadedFile file) throws IOException {
		Files.createDirectories(this.storage);
		String name = file.safeFilename();
		file.moveTo(this.storage.resolve(name));
		return ResponseEntity.status(HttpStatus.CREATED)
			.header("Location", "/files/" + UriUtils.encodePathSegment(name, StandardCharsets.UTF_8))
			.body(new Stored(name, file.size()));
	}

	@GetMapping("/{name}") // GET /files/report.pdf, and HEAD
	Path fetch(@PathVariable String name) {
		Path file = this.storage.resolve(name).normalize();
		if (!file.startsWith(this.storage) || !Files.isRegularFile(file)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no file " + name);
		}
		return file; // sent with sendfile
	}

}
