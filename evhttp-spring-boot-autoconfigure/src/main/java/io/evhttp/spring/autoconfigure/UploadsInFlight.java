package io.evhttp.spring.autoconfigure;

import io.evhttp.server.Request;
import io.evhttp.server.UploadedFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Requests whose body is on its way, for the {@code evhttp} actuator endpoint, and the
 * hook through which upload durations reach metrics. Updated on the event loops, read
 * from anywhere.
 */
public final class UploadsInFlight {

	/**
	 * One upload in flight.
	 *
	 * @param requestId request number
	 * @param clientIp client address
	 * @param path request path
	 * @param file name of the file being received, or {@code null}
	 * @param bytes body bytes received so far
	 * @param expectedTotal declared length, or -1 (chunked)
	 * @param bytesPerSecond average rate so far
	 */
	public record Upload(long requestId, String clientIp, String path, String file, long bytes, long expectedTotal,
			long bytesPerSecond) {
	}

	/**
	 * How one upload's body ended.
	 *
	 * @param request the request
	 * @param route the path pattern it was routed by
	 * @param store the store of its route ({@code default}: the server's)
	 * @param outcome {@code SUCCESS}, {@code CLIENT_ERROR} (refused, e.g. over a limit),
	 * {@code SERVER_ERROR} (the store or disk failed) or {@code UNKNOWN} (the client left
	 * or the request was dropped)
	 * @param duration from the head to the body's end
	 */
	public record UploadEnd(Request request, String route, String store, String outcome, Duration duration) {
	}

	private record Entry(Request request, String route, String store, UploadedFile[] current) {
	}

	private final Map<Long, Entry> uploads = new ConcurrentHashMap<>();

	private final List<Consumer<UploadEnd>> endListeners = new CopyOnWriteArrayList<>();

	/**
	 * Called as each upload's body ends: complete (when its handler starts) or failed.
	 */
	public void addEndListener(Consumer<UploadEnd> listener) {
		this.endListeners.add(listener);
	}

	void started(Request request, String route, String store) {
		this.uploads.put(request.id(), new Entry(request, route, store, new UploadedFile[1]));
	}

	void fileOpened(Request request, UploadedFile file) {
		Entry entry = this.uploads.get(request.id());
		if (entry != null) {
			entry.current()[0] = file;
		}
	}

	void completed(Request request) {
		ended(request, "SUCCESS");
	}

	void failed(Request request, int status) {
		ended(request, (status == 499) ? "UNKNOWN" : (status >= 500) ? "SERVER_ERROR" : "CLIENT_ERROR");
	}

	private void ended(Request request, String outcome) {
		Entry entry = this.uploads.remove(request.id());
		if (entry != null && !this.endListeners.isEmpty()) {
			UploadEnd end = new UploadEnd(request, entry.route(), entry.store(), outcome,
					Duration.ofNanos(System.nanoTime() - request.startNanos()));
			for (Consumer<UploadEnd> listener : this.endListeners) {
				listener.accept(end);
			}
		}
	}

	/** The uploads in flight now. */
	public List<Upload> snapshot() {
		Collection<Entry> entries = this.uploads.values();
		List<Upload> result = new ArrayList<>(entries.size());
		long now = System.nanoTime();
		for (Entry entry : entries) {
			Request r = entry.request();
			UploadedFile file = entry.current()[0];
			long bytes = r.bytesReceived();
			double seconds = Math.max(1e-3, (now - r.startNanos()) / 1e9);
			result.add(new Upload(r.id(), r.clientIp(), r.path(), (file != null) ? file.filename() : null, bytes,
					r.contentLength(), (long) (bytes / seconds)));
		}
		return result;
	}

	public int size() {
		return this.uploads.size();
	}

}
