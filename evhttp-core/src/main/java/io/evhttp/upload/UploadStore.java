package io.evhttp.upload;

import java.io.IOException;

/**
 * Where uploads are stored while they arrive: the seam between a request body and the
 * place its files end up. {@link LocalDiskStore} writes files in {@code tmp-path}; other
 * stores (object storage) plug in here.
 *
 * <p>
 * Each file part, and each raw body, gets its own {@link UploadSink} from
 * {@link #create}. A store whose {@link #createMayBlock creation may block} (a network
 * round trip, a slow file system) is called off the event loops, except when many bytes
 * already wait behind the new file and it is cheaper to create it at once.
 */
public interface UploadStore {

	/**
	 * Creates the destination of one file.
	 * @throws IOException when it cannot be created; the request is answered with 500
	 * (507 when the store says it is full)
	 */
	UploadSink create(UploadTarget target) throws IOException;

	/**
	 * Whether {@link #create} may take long enough to hold up an event loop, so that the
	 * server calls it on its file threads instead. {@code true} unless the store knows
	 * better: handing a quick creation to another thread and back costs more than the
	 * creation itself.
	 */
	default boolean createMayBlock() {
		return true;
	}

	/**
	 * Bytes that may still be stored, checked against an upload's declared length before
	 * its body is read; {@link Long#MAX_VALUE} when the store does not know.
	 */
	default long usableSpace() throws IOException {
		return Long.MAX_VALUE;
	}

	/**
	 * Checks that files can be stored now (a remote service answers, its bucket exists),
	 * for health checks. Blocking.
	 * @throws IOException saying what is wrong
	 */
	default void check() throws IOException {
	}

	/**
	 * Removes what crashed runs of servers like this one left behind; called when the
	 * server is created.
	 * @return how many leftovers were removed
	 */
	default int sweep() {
		return 0;
	}

}
