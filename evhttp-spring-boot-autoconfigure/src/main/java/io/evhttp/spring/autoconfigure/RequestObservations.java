package io.evhttp.spring.autoconfigure;

import io.evhttp.server.Request;
import io.evhttp.server.RequestOutcome;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import java.util.Locale;
import java.util.Objects;

/**
 * One Micrometer {@link Observation} per request, named and tagged as Spring's
 * {@code http.server.requests} (method, route pattern as {@code uri}, status, outcome,
 * exception), so meters and traces come as they do for Tomcat or Netty. The request's
 * headers are the carrier, so a tracing bridge continues a W3C {@code traceparent}; the
 * observation is in scope while the handler runs and while upload events are published.
 */
final class RequestObservations implements RequestTracking {

	static final String NAME = "http.server.requests";

	private static final String KEY = RequestObservations.class.getName();

	private final ObservationRegistry registry;

	RequestObservations(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void started(Request request) {
		Context context = new Context(request);
		Observation observation = Observation.createNotStarted(null, Convention.INSTANCE, () -> context, this.registry);
		if (observation.isNoop()) {
			// turned off (management.observations.enable.*, or no handler): nothing to
			// carry, and its context is not ours
			return;
		}
		request.attributes().put(KEY, observation.start());
	}

	@Override
	public void routed(Request request, String pattern) {
		Observation observation = observation(request);
		if (observation != null) {
			((Context) observation.getContext()).pattern = pattern;
		}
	}

	@Override
	public void handlerFailed(Request request, Throwable failure) {
		Observation observation = observation(request);
		if (observation != null) {
			observation.error(failure);
		}
	}

	@Override
	public Scope scope(Request request) {
		Observation observation = observation(request);
		if (observation == null) {
			return Scope.NONE;
		}
		Observation.Scope scope = observation.openScope();
		return scope::close;
	}

	@Override
	public void ended(Request request, RequestOutcome outcome) {
		Observation observation = observation(request);
		if (observation != null) {
			((Context) observation.getContext()).setResponse(outcome);
			observation.stop();
		}
	}

	private static Observation observation(Request request) {
		return (Observation) request.attributes().get(KEY);
	}

	/**
	 * The request is the carrier its trace headers are read from. Key values are kept in
	 * {@link KeyValueSet}s rather than the context's own maps, which cost a sixth of a
	 * small request's event-loop CPU; every method that touches them is overridden.
	 */
	static final class Context extends RequestReplyReceiverContext<Request, RequestOutcome> {

		volatile String pattern;

		/**
		 * {@link RequestMeters}' samples, here rather than in the context's map, which
		 * would be made for them alone. {@code Object}: meters are optional.
		 */
		volatile Object meterSamples;

		private final KeyValueSet low = new KeyValueSet();

		private final KeyValueSet high = new KeyValueSet();

		Context(Request request) {
			super(Request::header);
			setCarrier(request);
		}

		@Override
		public Context addLowCardinalityKeyValue(KeyValue keyValue) {
			this.low.add(keyValue);
			return this;
		}

		@Override
		public Context addLowCardinalityKeyValues(KeyValues keyValues) {
			this.low.add(keyValues);
			return this;
		}

		@Override
		public Context removeLowCardinalityKeyValue(String key) {
			this.low.remove(key);
			return this;
		}

		@Override
		public KeyValue getLowCardinalityKeyValue(String key) {
			return this.low.get(key);
		}

		@Override
		public KeyValues getLowCardinalityKeyValues() {
			return this.low.get();
		}

		@Override
		public Context addHighCardinalityKeyValue(KeyValue keyValue) {
			this.high.add(keyValue);
			return this;
		}

		@Override
		public Context addHighCardinalityKeyValues(KeyValues keyValues) {
			this.high.add(keyValues);
			return this;
		}

		@Override
		public Context removeHighCardinalityKeyValue(String key) {
			this.high.remove(key);
			return this;
		}

		@Override
		public KeyValue getHighCardinalityKeyValue(String key) {
			return this.high.get(key);
		}

		@Override
		public KeyValues getHighCardinalityKeyValues() {
			return this.high.get();
		}

	}

	/**
	 * Spring's {@code http.server.requests} names and tags. Their values repeat from one
	 * request to the next, so each set is made once: making it (sorting five pairs twice,
	 * the contextual name's concatenation) was about 1 µs of the 7 µs of event-loop CPU
	 * the observation cost per request.
	 */
	static final class Convention implements ObservationConvention<Context> {

		static final Convention INSTANCE = new Convention();

		/**
		 * Methods are the client's words: past this many sets, they are made each time.
		 */
		static final int MAX_CACHED = BoundedCache.MAX;

		private final BoundedCache<Tags, KeyValues> tags = new BoundedCache<>();

		private final BoundedCache<Tags, String> names = new BoundedCache<>();

		@Override
		public String getName() {
			return NAME;
		}

		@Override
		public String getContextualName(Context context) {
			Tags key = new Tags(context.getCarrier().method(), uri(context), 0, null);
			return this.names.get(key, Tags::contextualName);
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(Context context) {
			RequestOutcome outcome = context.getResponse();
			Throwable error = context.getError();
			Tags key = new Tags(context.getCarrier().method(), uri(context), (outcome != null) ? outcome.status() : -1,
					(error != null) ? error.getClass().getSimpleName() : "none");
			return this.tags.get(key, Tags::keyValues);
		}

		int cachedSets() {
			return this.tags.size() + this.names.size();
		}

		@Override
		public KeyValues getHighCardinalityKeyValues(Context context) {
			return KeyValues.of("http.url", context.getCarrier().path());
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof Context;
		}

		/** The route's pattern, never the raw path, so the tag's values stay few. */
		private static String uri(Context context) {
			if (context.pattern != null) {
				return context.pattern;
			}
			RequestOutcome outcome = context.getResponse();
			return (outcome != null && outcome.status() == 404) ? "NOT_FOUND" : "UNKNOWN";
		}

		private static String outcome(int status) {
			return (status < 200) ? "INFORMATIONAL" : (status < 300) ? "SUCCESS" : (status < 400) ? "REDIRECTION"
					: (status < 500) ? "CLIENT_ERROR" : (status < 600) ? "SERVER_ERROR" : "UNKNOWN";
		}

		/**
		 * One request's tag values; {@code status} is -1 before the answer. Equality is
		 * written out: a record's own, through method handles, cost as much as the lookup
		 * saved.
		 */
		private record Tags(String method, String uri, int status, String exception) {

			@Override
			public boolean equals(Object other) {
				return other instanceof Tags that && this.status == that.status && this.method.equals(that.method)
						&& this.uri.equals(that.uri) && Objects.equals(this.exception, that.exception);
			}

			@Override
			public int hashCode() {
				return ((this.method.hashCode() * 31 + this.uri.hashCode()) * 31 + this.status) * 31
						+ Objects.hashCode(this.exception);
			}

			KeyValues keyValues() {
				return KeyValues.of("method", this.method, "uri", this.uri, "status",
						(this.status >= 0) ? String.valueOf(this.status) : "UNKNOWN", "outcome",
						(this.status >= 0) ? outcome(this.status) : "UNKNOWN", "exception", this.exception);
			}

			String contextualName() {
				return "http " + this.method.toLowerCase(Locale.ROOT) + " " + this.uri;
			}

		}

	}

}
