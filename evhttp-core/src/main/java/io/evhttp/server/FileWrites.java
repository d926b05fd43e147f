package io.evhttp.server;

import io.evhttp.upload.FileSink;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes a chunk to a file and reports it to the listener, which sees the bytes
 * read-only.
 */
final class FileWrites {

	private FileWrites() {
	}

	static void write(FileSink sink, ByteBuffer data, Request request, UploadContext context) {
		ByteBuffer view = context.uploads().wantsFileWrites(request) ? data.asReadOnlyBuffer() : null;
		try {
			sink.write(data);
		}
		catch (IOException ex) {
			throw BodyReader.diskError(ex);
		}
		if (view != null) {
			context.uploads().onFileWrite(request, sink.file(), view);
		}
	}

}
