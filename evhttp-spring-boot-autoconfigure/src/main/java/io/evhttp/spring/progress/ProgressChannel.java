package io.evhttp.spring.progress;

import io.evhttp.http.HttpException;
import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.spring.event.EvUploadEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.SmartApplicationListener;

/**
 * Private upload progress for browsers. A page picks an unguessable upload id, opens
 * {@code GET {path}/{id}} as an {@code EventSource}, and sends its upload with
 * {@code ?upload-id={id}}: the stream then carries that upload's events
 * ({@link ProgressMessages}) and no one else's, since only the page knows the id. Streams
 * get a comment line every heartbeat, end when the application closes (so an open page
 * never holds the shutdown) and are bounded in number; a subscriber that reads too slowly
 * misses progress messages instead of making the server buffer them.
 */
final class ProgressChannel implements Handler, SmartApplicationListener, DisposableBean {

	private static final Log logger = LogFactory.getLog(ProgressChannel.class);

	/** At least 96 bits of a random UUID or token; nothing that needs decoding. */
	static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9_-]{16,128}");

	private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] RETRY = "retry: 2000\n\n".getBytes(StandardCharsets.US_ASCII);

	private final String prefix;

	private final int maxSubscribers;

	private final Map<String, Set<Response>> subscribers = new ConcurrentHashMap<>();

	private final AtomicInteger count = new AtomicInteger();

	private final ScheduledExecutorService heartbeat;

	ProgressChannel(String path, Duration heartbeat, int maxSubscribers) {
		this.prefix = path.endsWith("/") ? path : path + "/";
		this.maxSubscribers = maxSubscribers;
		this.heartbeat = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "evhttp-progress-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		long every = Math.max(1, heartbeat.toMillis());
		this.heartbeat.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
	}

	@Override
	public void handle(Request request, Response response) {
		if (!"GET".equals(request.method())) {
			throw HttpException.methodNotAllowed(java.util.List.of("GET"));
		}
		String id = request.path().substring(Math.min(this.prefix.length(), request.path().length()));
		if (!request.path().startsWith(this.prefix) || !UPLOAD_ID.matcher(id).matches()) {
			throw HttpException.badRequest("upload id must be 16 to 128 of A-Z a-z 0-9 _ -");
		}
		if (this.count.incrementAndGet() > this.maxSubscribers) {
			this.count.decrementAndGet();
			throw new HttpException(503, "Service Unavailable").withHeader("Retry-After", "5");
		}
		response.header("Cache-Control", "no-store").contentType("text/event-stream");
		response.write(RETRY);
		this.subscribers.computeIfAbsent(id, (key) -> ConcurrentHashMap.newKeySet()).add(response);
		response.onServerStopping(() -> unsubscribe(id, response, true));
		logger.debug("Progress subscriber for upload " + id);
	}

	/** Upload events only (so that they are built), and the context closing. */
	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return EvUploadEvent.class.isAssignableFrom(eventType) || ContextClosedEvent.class.isAssignableFrom(eventType);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof EvUploadEvent upload) {
			publish(upload);
		}
		else if (event instanceof ContextClosedEvent) {
			endAll();
		}
	}

	private void publish(EvUploadEvent event) {
		if (this.subscribers.isEmpty()) {
			return;
		}
		String id = uploadId(event.snapshot().rawQuery());
		Set<Response> streams = (id != null) ? this.subscribers.get(id) : null;
		if (streams == null) {
			return;
		}
		byte[] message = ProgressMessages.of(event);
		if (message != null) {
			for (Response stream : streams) {
				// false: over its buffer; the next progress message tells the same story
				stream.write(message);
			}
		}
	}

	private void beat() {
		this.subscribers.forEach((id, streams) -> {
			for (Response stream : streams) {
				if (stream.isClosed()) {
					unsubscribe(id, stream, false);
				}
				else {
					stream.write(HEARTBEAT);
				}
			}
		});
	}

	private void unsubscribe(String id, Response response, boolean end) {
		Set<Response> streams = this.subscribers.get(id);
		if (streams != null && streams.remove(response)) {
			this.count.decrementAndGet();
			this.subscribers.computeIfPresent(id, (key, set) -> set.isEmpty() ? null : set);
		}
		if (end) {
			response.end();
		}
	}

	private void endAll() {
		this.subscribers.forEach((id, streams) -> streams.forEach((stream) -> unsubscribe(id, stream, true)));
	}

	/** Open streams, for tests and the health of the channel. */
	int subscribers() {
		return this.count.get();
	}

	static String uploadId(String rawQuery) {
		if (rawQuery == null) {
			return null;
		}
		for (String pair : rawQuery.split("&")) {
			if (pair.startsWith("upload-id=")) {
				String id = pair.substring("upload-id=".length());
				return UPLOAD_ID.matcher(id).matches() ? id : null;
			}
		}
		return null;
	}

	@Override
	public void destroy() {
		this.heartbeat.shutdownNow();
		endAll();
	}

}
