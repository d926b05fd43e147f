package io.evhttp.resumable;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * An upload's state as a small text file, replaced atomically: written to a temp file,
 * forced to disk, then renamed over the old one, so a crash leaves either the old state
 * or the new, never half of one.
 */
final class StateFile {

	private StateFile() {
	}

	static UploadInfo read(Path file) throws IOException {
		String text;
		try {
			text = Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		Properties p = new Properties();
		p.load(new StringReader(text));
		try {
			String parts = p.getProperty("parts", "");
			return new UploadInfo(p.getProperty("id"), Long.parseLong(p.getProperty("length")),
					Long.parseLong(p.getProperty("offset")), p.getProperty("metadata", ""),
					Instant.ofEpochMilli(Long.parseLong(p.getProperty("expires"))),
					Boolean.parseBoolean(p.getProperty("complete")), Boolean.parseBoolean(p.getProperty("partial")),
					parts.isEmpty() ? List.of() : Arrays.asList(parts.split(" ")));
		}
		catch (RuntimeException ex) {
			throw new IOException("unreadable upload state " + file + ": " + ex, ex);
		}
	}

	static void write(Path file, UploadInfo info) throws IOException {
		Properties p = new Properties();
		p.setProperty("id", info.id());
		p.setProperty("length", Long.toString(info.length()));
		p.setProperty("offset", Long.toString(info.offset()));
		p.setProperty("metadata", info.metadata());
		p.setProperty("expires", Long.toString(info.expiresAt().toEpochMilli()));
		p.setProperty("complete", Boolean.toString(info.complete()));
		p.setProperty("partial", Boolean.toString(info.partial()));
		p.setProperty("parts", String.join(" ", info.parts()));
		StringWriter text = new StringWriter();
		p.store(text, null);
		Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
		try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING)) {
			ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
			while (bytes.hasRemaining()) {
				ch.write(bytes);
			}
			ch.force(true);
		}
		Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

}
