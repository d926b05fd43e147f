package io.evhttp.server;

import io.evhttp.upload.TempFileStore;

/**
 * What body readers need from their listener and server.
 *
 * @param options server options (limits, digest)
 * @param store temp file directory
 * @param uploads the listener's callbacks
 */
record UploadContext(ServerOptions options, TempFileStore store, UploadListener uploads) {

	boolean hasCallbacks() {
		return this.uploads != UploadListener.NONE;
	}

}
