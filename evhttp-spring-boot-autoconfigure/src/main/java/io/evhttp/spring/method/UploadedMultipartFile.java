package io.evhttp.spring.method;

import io.evhttp.server.UploadedFile;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.springframework.web.multipart.MultipartFile;

/**
 * An {@link UploadedFile} seen as Spring's {@link MultipartFile}, for methods written for
 * Spring MVC. {@code transferTo} moves the file (a rename on the same file system) rather
 * than copying it; the file is removed with its request unless it was transferred.
 */
final class UploadedMultipartFile implements MultipartFile {

	private final UploadedFile file;

	UploadedMultipartFile(UploadedFile file) {
		this.file = file;
	}

	@Override
	public String getName() {
		return this.file.field();
	}

	@Override
	public String getOriginalFilename() {
		return this.file.filename();
	}

	@Override
	public String getContentType() {
		return this.file.contentType();
	}

	@Override
	public boolean isEmpty() {
		return this.file.size() == 0;
	}

	@Override
	public long getSize() {
		return this.file.size();
	}

	@Override
	public byte[] getBytes() throws IOException {
		try (InputStream in = this.file.inputStream()) {
			return in.readAllBytes();
		}
	}

	@Override
	public InputStream getInputStream() throws IOException {
		return this.file.inputStream();
	}

	@Override
	public void transferTo(File dest) throws IOException {
		transferTo(dest.toPath());
	}

	@Override
	public void transferTo(Path dest) throws IOException {
		this.file.moveTo(dest, StandardCopyOption.REPLACE_EXISTING);
	}

}
