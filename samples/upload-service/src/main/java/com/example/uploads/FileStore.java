package com.example.uploads;

import io.evhttp.server.UploadedFile;
import io.evhttp.spring.EvUploadHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.util.UriUtils;

/**
 * A folder of files over HTTP: {@code POST /files} stores the multipart field
 * {@code file}, {@code GET /files} lists what is stored, {@code GET /files/{name}} sends
 * one, {@code DELETE /files/{name}} removes it. A file over {@code files.max-file-size}
 * is refused with 413 while it arrives, before it fills the disk.
 */
@EvUploadHandler(path = "/files/**", maxFileSize = "${files.max-file-size}")
class FileStore {

	private final Path dir;

	FileStore(@Value("${files.dir}") Path dir) throws IOException {
		this.dir = Files.createDirectories(dir).toAbsolutePath().normalize();
	}

	/** What a client learns of the file it stored. */
	record Stored(String name, long size, String sha256) {
	}

	/** A file as listed. */
	record Listed(String name, long size) {
	}

	@PostMapping
	ResponseEntity<Stored> store(@RequestParam UploadedFile file) throws IOException {
		String name = file.safeFilename();
		// a rename out of tmp-path; it never replaces a stored file
		file.moveTo(this.dir.resolve(name));
		return ResponseEntity.created(URI.create("/files/" + UriUtils.encodePathSegment(name, StandardCharsets.UTF_8)))
			.body(new Stored(name, file.size(), file.digestHex()));
	}

	@GetMapping
	List<Listed> list() throws IOException {
		try (Stream<Path> files = Files.list(this.dir)) {
			return files.filter(Files::isRegularFile)
				.sorted(Comparator.comparing(Path::getFileName))
				.map((file) -> new Listed(file.getFileName().toString(), size(file)))
				.toList();
		}
	}

	@GetMapping("/{name}")
	Path fetch(@PathVariable String name) {
		return stored(name);
	}

	@DeleteMapping("/{name}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String name) throws IOException {
		Files.delete(stored(name));
	}

	@ExceptionHandler
	ProblemDetail noSuchFile(NoSuchStoredFileException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setType(URI.create("/problems/no-such-file"));
		problem.setProperty("name", ex.name());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail nameTaken(FileAlreadyExistsException ex) {
		// the exception names the whole path: tell the client only the name
		String name = Path.of(ex.getFile()).getFileName().toString();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"a file named " + name + " is stored already");
		problem.setType(URI.create("/problems/name-taken"));
		problem.setProperty("name", name);
		return problem;
	}

	private Path stored(String name) {
		Path file = this.dir.resolve(name).normalize();
		// the server refuses "." and ".."; still, only names directly in the folder count
		if (!this.dir.equals(file.getParent()) || !Files.isRegularFile(file)) {
			throw new NoSuchStoredFileException(name);
		}
		return file;
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			// deleted while listed
			return 0;
		}
	}

}
