package io.evhttp.server;

import io.evhttp.upload.UploadStore;
import java.util.concurrent.Executor;

/**
 * What content readers need from their listener and server.
 *
 * @param options server options (limits, digest)
 * @param store where files are stored
 * @param uploads the listener's callbacks
 * @param fileOpens where files are created off the event loops, or {@code null} to create
 * them on the loop
 */
record BodyContext(ServerOptions options, UploadStore store, UploadListener uploads, Executor fileOpens) {

}
