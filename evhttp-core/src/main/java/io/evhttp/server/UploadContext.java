package io.evhttp.server;

import io.evhttp.upload.TempFileStore;
import java.util.concurrent.Executor;

/**
 * What body readers need from their listener and server.
 *
 * @param options server options (limits, digest)
 * @param store temp file directory
 * @param uploads the listener's callbacks
 * @param fileOpens where temp files are created, off the event loops
 */
record UploadContext(ServerOptions options, TempFileStore store, UploadListener uploads, Executor fileOpens) {

}
