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
import java.util.function.BiConsumer;

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

	private record Entry(Request request, UploadedFile[] current) {
	}

	private final Map<Long, Entry> uploads = new ConcurrentHashMap<>();

	private final List<BiConsumer<Request, Duration>> completionListeners = new CopyOnWriteArrayList<>();

	/**
	 * Called with each upload's duration (head to body complete) when its handler starts.
	 */
	public void addCompletionListener(BiConsumer<Request, Duration> listener) {
		this.completionListeners.add(listener);
	}

	void started(Request request) {
		this.uploads.put(request.id(), new Entry(request, new UploadedFile[1]));
	}

	void fileOpened(Request request, UploadedFile file) {
		Entry entry = this.uploads.get(request.id());
		if (entry != null) {
			entry.current()[0] = file;
		}
	}

	void completed(Request request) {
		if (this.uploads.remove(request.id()) != null && !this.completionListeners.isEmpty()) {
			Duration duration = Duration.ofNanos(System.nanoTime() - request.startNanos());
			for (BiConsumer<Request, Duration> listener : this.completionListeners) {
				listener.accept(request, duration);
			}
		}
	}

	void failed(Request request) {
		this.uploads.remove(request.id());
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
