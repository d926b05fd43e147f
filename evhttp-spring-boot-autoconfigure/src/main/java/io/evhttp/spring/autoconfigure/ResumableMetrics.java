package io.evhttp.spring.autoconfigure;

import io.evhttp.resumable.LeaseTakeovers;
import io.evhttp.resumable.ResumableStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Meters of the resumable endpoint: {@code evhttp.resumable.uploads} (tagged
 * {@code event}: created, completed, terminated, expired, failed),
 * {@code evhttp.resumable.bytes.received}, {@code evhttp.resumable.lease.takeovers} (when
 * the store counts them) and {@code evhttp.resumable.store.requests} (a timer tagged
 * {@code operation} and {@code outcome}). Reports before binding are not counted.
 */
final class ResumableMetrics implements ResumableMeters, MeterBinder {

	private final Supplier<ResumableStore> store;

	private volatile MeterRegistry registry;

	ResumableMetrics(Supplier<ResumableStore> store) {
		this.store = store;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (this.store.get() instanceof LeaseTakeovers takeovers) {
			FunctionCounter.builder("evhttp.resumable.lease.takeovers", takeovers, LeaseTakeovers::leaseTakeovers)
				.description("Leases taken from another request writing the same upload, or from a dead holder")
				.register(registry);
		}
		for (String event : new String[] { "created", "completed", "terminated", "expired", "failed" }) {
			counter(registry, event);
		}
		bytes(registry);
		this.registry = registry;
	}

	@Override
	public void uploadEvent(String event) {
		MeterRegistry r = this.registry;
		if (r != null) {
			counter(r, event).increment();
		}
	}

	@Override
	public void received(long bytes) {
		MeterRegistry r = this.registry;
		if (r != null) {
			bytes(r).increment(bytes);
		}
	}

	@Override
	public void storeCall(String operation, long nanos, boolean failed) {
		MeterRegistry r = this.registry;
		if (r != null) {
			Timer.builder("evhttp.resumable.store.requests")
				.description("Calls into the resumable store")
				.tag("operation", operation)
				.tag("outcome", failed ? "error" : "success")
				.register(r)
				.record(nanos, TimeUnit.NANOSECONDS);
		}
	}

	private static Counter counter(MeterRegistry registry, String event) {
		return Counter.builder("evhttp.resumable.uploads")
			.description("Resumable uploads, by what happened to them")
			.tag("event", event)
			.register(registry);
	}

	private static Counter bytes(MeterRegistry registry) {
		return Counter.builder("evhttp.resumable.bytes.received")
			.description("Bytes of resumable uploads stored")
			.baseUnit("bytes")
			.register(registry);
	}

}
