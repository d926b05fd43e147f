package io.evhttp.spring.autoconfigure;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.core.Ordered;

/**
 * The meters of evhttp's request observations, the same as
 * {@link DefaultMeterObservationHandler} makes (a timer named as the observation, tagged
 * with its low-cardinality values and {@code error}; a long-task timer
 * {@code <name>.active}; a counter per event), with each timer looked up once per set of
 * tags instead of once per request.
 *
 * <p>
 * The default looks both timers up in the registry for every request: the tags copied and
 * sorted into an id, the id hashed and compared. On the event loop that was most of what
 * the observation cost. Ordered first among the meter handlers, this one gets evhttp's
 * requests in Boot's first-matching group and leaves every other observation to the
 * default; with tracing, Boot wraps it for exemplars as it wraps the default.
 *
 * <p>
 * Tag values repeat (the route's pattern, never the path), but methods are the client's
 * words: past {@link #MAX_CACHED} sets, timers are looked up each time. A meter removed
 * from the registry empties the cache, so nothing records into a meter the registry no
 * longer holds.
 */
final class RequestMeters implements MeterObservationHandler<RequestObservations.Context>, Ordered {

	static final int MAX_CACHED = BoundedCache.MAX;

	private final MeterRegistry registry;

	private final boolean longTaskTimers;

	private final BoundedCache<Key, Timer> timers = new BoundedCache<>();

	private final BoundedCache<Key, LongTaskTimer> active = new BoundedCache<>();

	RequestMeters(MeterRegistry registry, boolean longTaskTimers) {
		this.registry = registry;
		this.longTaskTimers = longTaskTimers;
		registry.config().onMeterRemoved((meter) -> {
			this.timers.clear();
			this.active.clear();
		});
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof RequestObservations.Context;
	}

	@Override
	public void onStart(RequestObservations.Context context) {
		LongTaskTimer.Sample active = null;
		if (this.longTaskTimers) {
			String name = context.getName();
			KeyValues tags = context.getLowCardinalityKeyValues();
			LongTaskTimer timer = this.active.get(new Key(name, tags, null),
					(key) -> LongTaskTimer.builder(name + ".active").tags(tags(tags)).register(this.registry));
			active = timer.start();
		}
		context.meterSamples = new Samples(Timer.start(this.registry), active);
	}

	@Override
	public void onStop(RequestObservations.Context context) {
		String name = context.getName();
		KeyValues tags = context.getLowCardinalityKeyValues();
		Throwable failure = context.getError();
		String error = (failure != null) ? failure.getClass().getSimpleName() : KeyValue.NONE_VALUE;
		Timer timer = this.timers.get(new Key(name, tags, error),
				(key) -> Timer.builder(name).tags(tags(tags).and("error", error)).register(this.registry));
		Samples samples = (Samples) context.meterSamples;
		samples.timer.stop(timer);
		if (samples.active != null) {
			samples.active.stop();
		}
	}

	@Override
	public void onEvent(Observation.Event event, RequestObservations.Context context) {
		Counter.builder(context.getName() + "." + event.getName())
			.tags(tags(context.getLowCardinalityKeyValues()))
			.register(this.registry)
			.increment();
	}

	int cachedSets() {
		return this.timers.size() + this.active.size();
	}

	private static Tags tags(KeyValues keyValues) {
		List<Tag> tags = new ArrayList<>();
		for (KeyValue keyValue : keyValues) {
			tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
		}
		return Tags.of(tags);
	}

	/** One request's samples: its timer's, and its long-task timer's if there is one. */
	private record Samples(Timer.Sample timer, LongTaskTimer.Sample active) {
	}

	/**
	 * A meter's name and tags. Equality is written out: a record's own goes through
	 * method handles, which cost as much as the lookup saves.
	 */
	private static final class Key {

		private final String name;

		private final KeyValues tags;

		private final String error;

		private final int hash;

		Key(String name, KeyValues tags, String error) {
			this.name = name;
			this.tags = tags;
			this.error = error;
			this.hash = (name.hashCode() * 31 + tags.hashCode()) * 31 + Objects.hashCode(error);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Key that && this.hash == that.hash && this.name.equals(that.name)
					&& this.tags.equals(that.tags) && Objects.equals(this.error, that.error);
		}

		@Override
		public int hashCode() {
			return this.hash;
		}

	}

}
