package io.evhttp.spring.autoconfigure;

import io.evhttp.server.EvServer;
import io.evhttp.server.ServerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * evhttp meters: {@code evhttp.connections.active}, {@code evhttp.uploads.active},
 * {@code evhttp.bytes.received}, {@code evhttp.requests},
 * {@code evhttp.requests.rejected} (tagged with the status answered; 499 when the client
 * went away or the request was dropped; the usual statuses from the start, any other one,
 * such as a 401 or 429 from an {@code onHead}, from its first refusal) and
 * {@code evhttp.upload.duration} (head to the end of the body, tagged with the route
 * pattern, the store and the outcome).
 */
public final class EvHttpMetrics implements MeterBinder {

	private static final List<Integer> REJECTION_STATUSES = List.of(400, 404, 405, 408, 413, 414, 415, 417, 431, 499,
			500, 501, 503, 505, 507);

	private final EvServer server;

	private final UploadsInFlight inFlight;

	public EvHttpMetrics(EvServer server, UploadsInFlight inFlight) {
		this.server = server;
		this.inFlight = inFlight;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		ServerStats stats = this.server.stats();
		Gauge.builder("evhttp.connections.active", this.server, EvServer::connectionCount)
			.description("Open connections")
			.register(registry);
		Gauge.builder("evhttp.uploads.active", stats, ServerStats::activeUploads)
			.description("Request bodies being received")
			.register(registry);
		FunctionCounter.builder("evhttp.bytes.received", stats, ServerStats::bytesReceived)
			.description("Bytes read from clients")
			.baseUnit("bytes")
			.register(registry);
		FunctionCounter.builder("evhttp.requests", stats, ServerStats::requests)
			.description("Requests handed to a handler")
			.register(registry);
		// a status first refused after start may be one counted from the start, and
		// Micrometer warns when a function counter is registered twice
		Set<Integer> registered = ConcurrentHashMap.newKeySet();
		IntConsumer register = (status) -> {
			if (registered.add(status)) {
				registerRejected(registry, stats, status);
			}
		};
		REJECTION_STATUSES.forEach(register::accept);
		stats.onNewRejectionStatus(register);
		stats.rejected().keySet().forEach(register::accept);
		Map<UploadTags, Timer> durations = new ConcurrentHashMap<>();
		this.inFlight.addEndListener((end) -> durations
			.computeIfAbsent(new UploadTags(end.route(), end.store(), end.outcome()), (tags) -> tags.timer(registry))
			.record(end.duration()));
	}

	/**
	 * An upload's duration tags: route patterns, store names and outcomes are few, so
	 * each timer is looked up in the registry once, not at every upload's end.
	 */
	private record UploadTags(String route, String store, String outcome) {

		Timer timer(MeterRegistry registry) {
			return Timer.builder("evhttp.upload.duration")
				.description("Time from a request's head to the end of its body")
				.tag("route", this.route)
				.tag("store", this.store)
				.tag("outcome", this.outcome)
				.register(registry);
		}

		// written out: a record's own equality goes through method handles
		@Override
		public boolean equals(Object other) {
			return other instanceof UploadTags that && this.route.equals(that.route) && this.store.equals(that.store)
					&& this.outcome.equals(that.outcome);
		}

		@Override
		public int hashCode() {
			return (this.route.hashCode() * 31 + this.store.hashCode()) * 31 + this.outcome.hashCode();
		}

	}

	private static void registerRejected(MeterRegistry registry, ServerStats stats, int status) {
		FunctionCounter.builder("evhttp.requests.rejected", stats, (s) -> s.rejected(status))
			.description("Requests refused, by the status answered")
			.tag("status", String.valueOf(status))
			.register(registry);
	}

}
