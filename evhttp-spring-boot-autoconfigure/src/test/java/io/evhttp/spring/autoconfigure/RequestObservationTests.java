package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import brave.Tracing;
import brave.propagation.CurrentTraceContext;
import brave.propagation.ThreadLocalCurrentTraceContext;
import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.spring.EvUploadHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import io.evhttp.spring.event.FileReceivedEvent;

/**
 * Each request is one {@code http.server.requests} observation tagged as Spring tags it,
 * a W3C {@code traceparent} continues into the handler, and the access log writes one
 * line per request.
 */
@ExtendWith(OutputCaptureExtension.class)
class RequestObservationTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	@TempDir
	Path tmp;

	private final HttpClient client = HttpClient.newHttpClient();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EvHttpAutoConfiguration.class))
			.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0");
	}

	@Test
	void eachRequestIsObservedWithTheRoutePatternStatusOutcomeAndException() {
		runner().withUserConfiguration(Handlers.class, Observations.class).run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			assertThat(get(port, "/files/42", null).statusCode()).isEqualTo(200);
			assertThat(get(port, "/boom", null).statusCode()).isEqualTo(500);
			assertThat(get(port, "/nowhere/7", null).statusCode()).isEqualTo(404);
			await().untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
				.hasNumberOfObservationsWithNameEqualTo(RequestObservations.NAME, 3));
			TestObservationRegistryAssert.assertThat(registry)
				.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("uri", "/files/*")
					.hasLowCardinalityKeyValue("method", "GET")
					.hasLowCardinalityKeyValue("status", "200")
					.hasLowCardinalityKeyValue("outcome", "SUCCESS")
					.hasLowCardinalityKeyValue("exception", "none")
					.hasHighCardinalityKeyValue("http.url", "/files/42"))
				.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("uri", "/boom")
					.hasLowCardinalityKeyValue("status", "500")
					.hasLowCardinalityKeyValue("outcome", "SERVER_ERROR")
					.hasLowCardinalityKeyValue("exception", "IllegalStateException")
					.assertThatError()
					.isInstanceOf(IllegalStateException.class))
				.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("uri", "NOT_FOUND")
					.hasLowCardinalityKeyValue("status", "404")
					.hasLowCardinalityKeyValue("outcome", "CLIENT_ERROR"));
		});
	}

	@Test
	void tagsStayRightForMoreMethodsThanAreCachedAndTheCacheStaysBounded() {
		runner().withUserConfiguration(Handlers.class, Observations.class).run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			int methods = RequestObservations.Convention.MAX_CACHED + 100;
			for (int i = 0; i < methods; i++) {
				HttpResponse<Void> response = this.client
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/files/" + i))
						.method("M" + i, HttpRequest.BodyPublishers.noBody())
						.build(), HttpResponse.BodyHandlers.discarding());
				assertThat(response.statusCode()).isEqualTo(200);
			}
			await().untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
				.hasNumberOfObservationsWithNameEqualTo(RequestObservations.NAME, methods));
			TestObservationRegistryAssert.assertThat(registry)
				.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("method", "M" + (methods - 1))
					.hasLowCardinalityKeyValue("uri", "/files/*")
					.hasLowCardinalityKeyValue("status", "200")
					.hasContextualNameEqualTo("http m" + (methods - 1) + " /files/*"));
			assertThat(RequestObservations.Convention.INSTANCE.cachedSets())
				.isLessThanOrEqualTo(2 * RequestObservations.Convention.MAX_CACHED);
		});
	}

	@Test
	void requestsAreServedWhenTheObservationIsTurnedOff() {
		runner().withUserConfiguration(Handlers.class, Observations.class).run((context) -> {
			// as management.observations.enable.http.server.requests=false does
			TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
			registry.observationConfig()
				.observationPredicate((name, observationContext) -> !RequestObservations.NAME.equals(name));
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			assertThat(get(port, "/files/42", null).statusCode()).isEqualTo(200);
			assertThat(get(port, "/boom", null).statusCode()).isEqualTo(500);
			assertThat(get(port, "/nowhere/7", null).statusCode()).isEqualTo(404);
			TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyObservation();
		});
	}

	@Test
	void traceparentContinuesIntoTheHandlerAndTheUploadEvents() {
		runner().withUserConfiguration(Handlers.class, W3CTracing.class).run((context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
			HttpResponse<String> response = get(port, "/trace", "00-" + TRACE_ID + "-00f067aa0ba902b7-01");
			assertThat(response.body()).isEqualTo(TRACE_ID);
			HttpResponse<String> upload = this.client
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/files/upload"))
					.header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
					.header("Content-Type", "multipart/form-data; boundary=b")
					.POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=\"f\"; "
							+ "filename=\"a.txt\"\r\n\r\nhello\r\n--b--\r\n"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(upload.statusCode()).isEqualTo(200);
			List<String> seen = context.getBean(W3CTracing.class).traceIdsInEvents;
			await().untilAsserted(() -> assertThat(seen).containsExactly(TRACE_ID));
		});
	}

	@Test
	void accessLogWritesOneLinePerRequest(CapturedOutput output) {
		runner().withUserConfiguration(Handlers.class)
			.withPropertyValues("evhttp.access-log.enabled=true")
			.run((context) -> {
				int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
				get(port, "/files/42?x=1", null);
				get(port, "/nowhere", null);
				await().untilAsserted(() -> assertThat(output.getOut())
					.containsPattern(
							"127\\.0\\.0\\.1 - - \\[[^]]+\\] \"GET /files/42\\?x=1 HTTP/1\\.1\" 200 \\d+ 0 \\d+")
					.containsPattern("\"GET /nowhere HTTP/1\\.1\" 404 \\d+ 0 \\d+"));
			});
	}

	@Test
	void noAccessLogUnlessEnabled() {
		runner().withUserConfiguration(Handlers.class)
			.run((context) -> assertThat(context).doesNotHaveBean(AccessLogger.class));
	}

	private HttpResponse<String> get(int port, String path, String traceparent) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
		if (traceparent != null) {
			request.header("traceparent", traceparent);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Bean
		Files files() {
			return new Files();
		}

		@Bean
		Boom boom() {
			return new Boom();
		}

	}

	@EvUploadHandler(path = "/files/*")
	static class Files implements Handler {

		@Override
		public void handle(Request request, Response response) {
			response.send("ok");
		}

	}

	@EvUploadHandler(path = "/boom")
	static class Boom implements Handler {

		@Override
		public void handle(Request request, Response response) {
			throw new IllegalStateException("boom");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Observations {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

	}

	/** Brave behind Micrometer Tracing, reading and writing W3C trace context. */
	@Configuration(proxyBeanMethods = false)
	static class W3CTracing {

		final List<String> traceIdsInEvents = new CopyOnWriteArrayList<>();

		private final CurrentTraceContext current = ThreadLocalCurrentTraceContext.create();

		private final Tracing tracing = Tracing.newBuilder()
			.currentTraceContext(this.current)
			.propagationFactory(new W3CPropagation(new BraveBaggageManager(), List.of()))
			.build();

		private final Tracer tracer = new BraveTracer(this.tracing.tracer(), new BraveCurrentTraceContext(this.current),
				new BraveBaggageManager());

		@Bean
		ObservationRegistry observationRegistry() {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig()
				.observationHandler(
						new FirstMatchingCompositeObservationHandler(
								new PropagatingReceiverTracingObservationHandler<>(this.tracer,
										new BravePropagator(this.tracing)),
								new DefaultTracingObservationHandler(this.tracer)));
			return registry;
		}

		@Bean
		TraceHandler traceHandler() {
			return new TraceHandler(this.tracer);
		}

		@EventListener
		void received(FileReceivedEvent event) {
			Span span = this.tracer.currentSpan();
			this.traceIdsInEvents.add((span != null) ? span.context().traceId() : "none");
		}

	}

	@EvUploadHandler(path = "/trace")
	static class TraceHandler implements Handler {

		private final Tracer tracer;

		TraceHandler(Tracer tracer) {
			this.tracer = tracer;
		}

		@Override
		public void handle(Request request, Response response) {
			Span span = this.tracer.currentSpan();
			response.send((span != null) ? span.context().traceId() : "none");
		}

	}

}
