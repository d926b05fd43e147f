package io.evhttp.demo;

import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.spring.EvUploadHandler;
import io.evhttp.spring.Threading;
import io.evhttp.spring.event.EvUploadEvent;
import io.evhttp.spring.event.FileOpenedEvent;
import io.evhttp.spring.event.FileProgressEvent;
import io.evhttp.spring.event.FileReceivedEvent;
import io.evhttp.spring.event.UploadFailedEvent;
import io.evhttp.spring.event.UploadSnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * {@code GET /events}: the server's upload events, pushed to the page as Server-Sent
 * Events. Each subscriber is a streamed response kept open; a comment line every 15 s
 * keeps proxies from closing it and finds subscribers that went away. A subscriber that
 * reads too slowly misses progress events rather than making the server buffer them.
 */
@EvUploadHandler(path = "/events", threading = Threading.EVENT_LOOP)
class ProgressStream implements Handler, DisposableBean {

	private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

	private final Set<Response> subscribers = ConcurrentHashMap.newKeySet();

	private final JsonFactory json = new JsonFactory();

	private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor((r) -> {
		Thread thread = new Thread(r, "sse-heartbeat");
		thread.setDaemon(true);
		return thread;
	});

	ProgressStream() {
		this.heartbeat.scheduleAtFixedRate(() -> broadcast(HEARTBEAT, true), 15, 15, TimeUnit.SECONDS);
	}

	@Override
	public void handle(Request request, Response response) {
		response.header("Cache-Control", "no-store").contentType("text/event-stream");
		response.write("retry: 2000\n\n".getBytes(StandardCharsets.US_ASCII));
		this.subscribers.add(response);
		// ends with the server's shutdown, which then need not wait for open pages
		response.onServerStopping(() -> {
			this.subscribers.remove(response);
			response.end();
		});
	}

	@EventListener
	void on(EvUploadEvent event) {
		String type = (event instanceof FileOpenedEvent) ? "opened"
				: (event instanceof FileProgressEvent) ? "progress" : (event instanceof FileReceivedEvent) ? "received"
						: (event instanceof UploadFailedEvent) ? "failed" : null;
		if (type != null && !this.subscribers.isEmpty()) {
			broadcast(format(type, event), event instanceof FileProgressEvent);
		}
	}

	private void broadcast(byte[] message, boolean droppable) {
		for (Response subscriber : this.subscribers) {
			if (subscriber.isClosed()) {
				this.subscribers.remove(subscriber);
			}
			else if (!subscriber.write(message) && droppable) {
				// over its buffer: later progress events will tell the same story
			}
		}
	}

	private byte[] format(String type, EvUploadEvent event) {
		UploadSnapshot s = event.snapshot();
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		out.writeBytes(("event: " + type + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
		try (JsonGenerator g = this.json.createGenerator(ObjectWriteContext.empty(), out)) {
			g.writeStartObject();
			g.writeNumberProperty("request", s.requestId());
			g.writeStringProperty("query", s.rawQuery());
			g.writeStringProperty("field", s.field());
			g.writeStringProperty("filename", s.filename());
			g.writeNumberProperty("bytes", s.bytes());
			g.writeNumberProperty("expected", s.expectedTotal());
			if (event instanceof UploadFailedEvent failed) {
				g.writeNumberProperty("status", failed.status());
				g.writeStringProperty("reason", failed.reason());
			}
			g.writeEndObject();
		}
		out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
		return out.toByteArray();
	}

	/**
	 * Ends the streams as the application starts to close, before the server stops: an
	 * open page would otherwise hold the shutdown for its whole grace period.
	 */
	@EventListener(ContextClosedEvent.class)
	void closing() {
		for (Response subscriber : this.subscribers) {
			subscriber.end();
		}
		this.subscribers.clear();
	}

	@Override
	public void destroy() {
		this.heartbeat.shutdownNow();
		closing();
	}

}
