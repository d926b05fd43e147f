package io.evhttp.upload;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Where the bytes of one file go while they arrive, as an {@link UploadStore} gives it.
 *
 * <p>
 * The server calls it from one thread at a time, in order: {@link #write} for every
 * chunk, then {@link #finish} once, or {@link #discard} at any time. Flow control is by
 * demand (as Jetty's {@code Content.Sink}): a sink that can take more says so from
 * {@code write} at once, so a fast local disk costs nothing extra; one that cannot (an
 * object store spooling parts) answers {@code false}, and the server stops reading that
 * request until the sink calls the {@link #onReady} callback.
 */
public interface UploadSink {

	/**
	 * Where the file lives: a {@code file:} URI, an object's URL; known from creation.
	 */
	URI location();

	/** The local file holding the bytes, or {@code null} when the store keeps none. */
	default Path path() {
		return null;
	}

	/**
	 * Takes all of {@code data}, advancing its position to its limit: writes it, or
	 * copies it into the sink's own bounded place. {@code data} is the server's read
	 * buffer: it must not be kept after the call.
	 * @return whether more may be written now; {@code false} asks the server to wait for
	 * {@link #onReady}
	 */
	boolean write(ByteBuffer data) throws IOException;

	/**
	 * After {@link #write} returned {@code false}: {@code ready} runs (on any thread)
	 * once the sink can take more. A sink that never answers {@code false} need not
	 * implement it.
	 */
	default void onReady(Runnable ready) {
		ready.run();
	}

	/**
	 * All bytes are written: makes them durable. The stage completes (on any thread) once
	 * they are, or fails; nothing is written after this call.
	 */
	CompletionStage<Void> finish();

	/**
	 * Keeps the finished file beyond its request: where it is when {@code name} is
	 * {@code null}, else under {@code name} (an object key, for an object store),
	 * replacing what was there, the stored bytes moved or copied by the store itself,
	 * never through this server. After it {@link #discard} no longer removes the file.
	 * Blocking; after {@link #finish} completed.
	 * @return where the file lives now
	 * @throws UnsupportedOperationException when the store keeps nothing beyond a request
	 */
	default URI keep(String name) throws IOException {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot keep files");
	}

	/**
	 * What the store tells of the stored file beyond its {@link #location()} (for an
	 * object: {@code bucket}, {@code key}, {@code etag}); complete once {@link #finish}
	 * completed.
	 */
	default Map<String, String> attributes() {
		return Map.of();
	}

	/**
	 * Removes everything this sink stored, finished or not: the request failed, or ended
	 * without the application keeping the file. Idempotent, never throws, any thread.
	 */
	void discard();

}
