package io.evhttp.demo;

import io.evhttp.server.Response;
import io.evhttp.server.UploadedFile;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.time.Instant;
import java.util.List;

/**
 * Where {@link FileStore} keeps files: a folder on this node's disk ({@link DiskFiles}),
 * or a bucket under a prefix ({@link BucketFiles}), as {@code evhttp.storage.type} says.
 * Names are already safe: one path segment, never {@code .} or {@code ..}.
 */
interface StoredFiles {

	/**
	 * Keeps a received file under {@code name}, never replacing another.
	 * @throws FileAlreadyExistsException when the name is taken
	 */
	void keep(UploadedFile file, String name) throws IOException;

	/** The stored files, newest name first. */
	List<Entry> list() throws IOException;

	/** Whether a file of this name is stored. */
	boolean exists(String name) throws IOException;

	/**
	 * Sends a stored file as the body of {@code response}, whose headers are set, and
	 * ends it. Blocking.
	 */
	void send(String name, Response response) throws IOException;

	/** One stored file. */
	record Entry(String name, long size, Instant modified) {
	}

}
