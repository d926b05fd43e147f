package io.evhttp.spring.autoconfigure;

import io.evhttp.server.Request;
import io.evhttp.server.RequestOutcome;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One line per request in the common log format, then the bytes received and the duration
 * in milliseconds, logged at INFO to {@code io.evhttp.access}:
 *
 * <pre>
 * 203.0.113.7 - - [01/Dec/2026:14:02:11 +0000] "POST /upload HTTP/1.1" 200 412 10485760 183
 * </pre>
 *
 * The client is the one behind trusted proxies. Lines are written by a thread of their
 * own, never by the event loop; when logging falls behind by {@value #QUEUE} lines, new
 * lines are dropped and counted rather than slowing the server.
 */
final class AccessLogger implements RequestTracking, AutoCloseable {

	static final String LOGGER = "io.evhttp.access";

	private static final int QUEUE = 8192;

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

	private static final String STOP = new String("stop");

	private final Log log;

	private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(QUEUE);

	private final AtomicLong dropped = new AtomicLong();

	private final Thread writer;

	AccessLogger() {
		this(LogFactory.getLog(LOGGER));
	}

	AccessLogger(Log log) {
		this.log = log;
		this.writer = new Thread(this::write, "evhttp-access-log");
		this.writer.setDaemon(true);
		this.writer.start();
	}

	@Override
	public void ended(Request request, RequestOutcome outcome) {
		String line = line(request, outcome);
		if (!this.lines.offer(line)) {
			this.dropped.incrementAndGet();
		}
	}

	static String line(Request request, RequestOutcome outcome) {
		long millis = (outcome.endNanos() - request.startNanos()) / 1_000_000;
		ZonedDateTime at = ZonedDateTime.now(ZoneId.systemDefault())
			.minusNanos(outcome.endNanos() - request.startNanos());
		return request.clientIp() + " - - [" + TIME.format(at) + "] \"" + request.method() + " "
				+ sanitized(request.target()) + " HTTP/1." + request.minorVersion() + "\" " + outcome.status() + " "
				+ outcome.bytesSent() + " " + request.bytesReceived() + " " + millis;
	}

	/**
	 * A target is already checked by the parser; quotes and controls are escaped anyway.
	 */
	private static String sanitized(String target) {
		StringBuilder out = null;
		for (int i = 0; i < target.length(); i++) {
			char c = target.charAt(i);
			if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) {
				if (out == null) {
					out = new StringBuilder(target.substring(0, i));
				}
				out.append(String.format("\\x%02x", (int) c));
			}
			else if (out != null) {
				out.append(c);
			}
		}
		return (out != null) ? out.toString() : target;
	}

	private void write() {
		try {
			while (true) {
				String line = this.lines.take();
				if (line == STOP) {
					return;
				}
				this.log.info(line);
				long lost = this.dropped.getAndSet(0);
				if (lost > 0) {
					this.log.warn(lost + " access log lines dropped: logging fell behind");
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Writes what is queued, then ends the writer. */
	@Override
	public void close() throws InterruptedException {
		this.lines.put(STOP);
		this.writer.join(5000);
	}

}
