package io.evhttp.demo;

import io.evhttp.server.Response;
import io.evhttp.server.UploadedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Files in a folder of this node: moved there out of tmp-path with an atomic rename, sent
 * back with sendfile.
 */
final class DiskFiles implements StoredFiles {

	private final Path folder;

	DiskFiles(Path folder) throws IOException {
		this.folder = Files.createDirectories(folder).toRealPath();
	}

	@Override
	public void keep(UploadedFile file, String name) throws IOException {
		file.moveTo(this.folder.resolve(name));
	}

	@Override
	public List<Entry> list() throws IOException {
		List<Entry> entries = new ArrayList<>();
		try (Stream<Path> stream = Files.list(this.folder)) {
			for (Path file : stream.filter((p) -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
				.sorted(Comparator.reverseOrder())
				.toList()) {
				BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
				entries.add(new Entry(file.getFileName().toString(), attributes.size(),
						attributes.lastModifiedTime().toInstant()));
			}
		}
		return entries;
	}

	@Override
	public boolean exists(String name) {
		return Files.isRegularFile(this.folder.resolve(name), LinkOption.NOFOLLOW_LINKS);
	}

	@Override
	public void send(String name, Response response) throws IOException {
		response.sendFile(this.folder.resolve(name));
	}

}
