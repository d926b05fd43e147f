package io.evhttp.resumable;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where resumable uploads live: their state and their bytes. The state is the store's,
 * never a server's memory, so a restarted server (or, with a shared store, another node)
 * resumes any upload.
 *
 * <p>
 * Writers take turns: bytes are appended and the state changed only under an
 * {@link UploadLease}, one at a time per upload. A store on one machine keeps leases in
 * memory; a shared store keeps them beside the state (holder, epoch, expiry, heartbeat),
 * so that a dead holder's lease runs out and a stale holder's writes are refused.
 *
 * <p>
 * Every method may block (disk, network): callers run them off the event loops, except
 * {@link UploadAppend#write} and {@link UploadAppend#onReady}, which run on the loop.
 */
public interface ResumableStore {

	/**
	 * Creates an upload under a new unguessable id, offset 0; or, when
	 * {@code upload.parts()} is not empty, a complete upload holding the parts' bytes in
	 * order (tus concatenation; the parts are complete, which the caller checked).
	 */
	UploadInfo create(NewUpload upload) throws IOException;

	/**
	 * The upload's state as last committed, or {@code null} when there is no such upload
	 * (never created, terminated, or swept).
	 */
	UploadInfo read(String id) throws IOException;

	/**
	 * Takes the upload's write lease, waiting at most {@code wait}. A request holding it
	 * is asked to stop ({@link UploadLease#onStopRequested}); it stores what it has
	 * received, then releases.
	 * @return the lease, or {@code null} when there is no such upload
	 * @throws LeaseUnavailableException when the holder did not release in time
	 */
	UploadLease lease(String id, Duration wait) throws IOException, LeaseUnavailableException;

	/** Where a complete upload's bytes are: a {@code file:} URI for a local store. */
	URI location(String id);

	/**
	 * Reads a complete upload's bytes from the start, {@code length} of them; the caller
	 * closes the stream. By default the file at {@link #location}: a store whose bytes
	 * are elsewhere (an object store) streams them from there.
	 */
	default InputStream open(String id) throws IOException {
		return Files.newInputStream(Path.of(location(id)));
	}

	/** Uploads that expired before {@code now}: to be terminated under their lease. */
	List<UploadInfo> expired(Instant now) throws IOException;

}
