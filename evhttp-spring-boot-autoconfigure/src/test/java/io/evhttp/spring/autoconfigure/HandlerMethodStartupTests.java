package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.spring.EvUploadHandler;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

/**
 * A handler-method bean declared wrongly fails startup with an
 * {@link EvHttpHandlerException} naming the bean and the method, explained by the failure
 * analyzer with its fix.
 */
class HandlerMethodStartupTests {

	@TempDir
	Path tmp;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(EvHttpAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
			.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0");
	}

	@Test
	void twoMethodsForOneMethodAndPatternFailStartup() {
		runner().withBean("twice", Twice.class).run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("Bean 'twice'")
				.contains("first()")
				.contains("second()")
				.contains("both map GET /files/{");
			assertThat(analysis.getAction()).contains("another path or HTTP method");
		});
	}

	@Test
	void beanWithNeitherHandlerNorMethodsFailsStartup() {
		runner().withBean("nothing", Nothing.class).run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("Bean 'nothing'").contains("nor has handler methods");
			assertThat(analysis.getAction()).contains("@GetMapping");
		});
	}

	@Test
	void handlerWithHandlerMethodsFailsStartup() {
		runner().withBean("both", Both.class).run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("Bean 'both'").contains("and has handler methods");
			assertThat(analysis.getAction()).contains("stop implementing Handler");
		});
	}

	@Test
	void completionStageReturnFailsStartup() {
		runner().withBean("later", Later.class).run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("Bean 'later' method get()").contains("CompletionStage");
			assertThat(analysis.getAction()).contains("take the Response");
		});
	}

	@Test
	void methodPathBelowAnExactHandlerPathFailsStartup() {
		runner().withBean("exact", Exact.class).run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("Bean 'exact' method get()")
				.contains("'/{name}' below @EvUploadHandler path '/upload'");
			assertThat(analysis.getAction()).contains("path = \"/upload/**\"");
		});
	}

	@Test
	void withoutSpringWebTheFixSaysToAddIt() {
		runner().withBean("nothing", Nothing.class)
			.withClassLoader(new FilteredClassLoader("org.springframework.web."))
			.run((context) -> assertThat(analysis(context).getAction()).contains("org.springframework:spring-web"));
	}

	@Test
	void parameterThatCannotBeBoundFailsStartup() {
		runner().withBean("unbound", Unbound.class).run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("Bean 'unbound' method take()")
				.contains("parameter 'thing'")
				.contains(Thread.class.getName());
			assertThat(analysis.getAction()).contains("@RequestParam");
		});
	}

	@Test
	void pathVariableThePatternLacksFailsStartup() {
		runner().withBean("lacking", Lacking.class).run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("Bean 'lacking' method get()").contains("'id'");
			assertThat(analysis.getAction()).contains("{id}");
		});
	}

	@Test
	void conditionsEvhttpDoesNotEvaluateFailStartup() {
		runner().withBean("conditional", Conditional.class).run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("Bean 'conditional' method post()")
				.contains("params, consumes");
		});
	}

	@Test
	void objectAsJsonWithoutJacksonFailsStartup() {
		runner().withBean("json", Json.class)
			.withClassLoader(new FilteredClassLoader("tools.jackson."))
			.run((context) -> {
				FailureAnalysis analysis = analysis(context);
				assertThat(analysis.getDescription()).contains("Bean 'json' method get()")
					.contains("Jackson is not on the classpath");
				assertThat(analysis.getAction()).contains("jackson-databind");
			});
	}

	@Test
	void twoExceptionHandlersForOneTypeFailStartup() {
		runner().withBean("handlers", TwoHandlers.class).run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("Bean 'handlers'")
				.contains(IllegalArgumentException.class.getName());
			assertThat(analysis.getAction()).contains("one @ExceptionHandler method per exception type");
		});
	}

	private static FailureAnalysis analysis(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).isInstanceOf(EvHttpHandlerException.class);
		FailureAnalysis analysis = new EvHttpFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).isNotNull();
		return analysis;
	}

	@EvUploadHandler(path = "/files/**")
	static class Twice {

		@GetMapping("/{name}")
		String first(@PathVariable String name) {
			return name;
		}

		@RequestMapping(path = "/{other}", method = { RequestMethod.GET, RequestMethod.PUT })
		String second(@PathVariable String other) {
			return other;
		}

	}

	@EvUploadHandler(path = "/both")
	static class Both implements Handler {

		@Override
		public void handle(Request request, Response response) {
			response.send("handle");
		}

		@GetMapping
		String get() {
			return "get";
		}

	}

	@EvUploadHandler(path = "/later")
	static class Later {

		@GetMapping
		CompletableFuture<String> get() {
			return CompletableFuture.completedFuture("later");
		}

	}

	@EvUploadHandler(path = "/upload")
	static class Exact {

		@PostMapping
		String post() {
			return "stored";
		}

		@GetMapping("{name}")
		String get(@PathVariable String name) {
			return name;
		}

	}

	@EvUploadHandler(path = "/nothing")
	static class Nothing {

		String notMapped() {
			return "";
		}

	}

	@EvUploadHandler(path = "/unbound")
	static class Unbound {

		@GetMapping
		String take(Thread thing) {
			return thing.getName();
		}

	}

	@EvUploadHandler(path = "/lacking/**")
	static class Lacking {

		@GetMapping("/{name}")
		String get(@PathVariable String id) {
			return id;
		}

	}

	@EvUploadHandler(path = "/json")
	static class Json {

		record Answer(String value) {
		}

		@GetMapping
		Answer get() {
			return new Answer("x");
		}

	}

	@EvUploadHandler(path = "/handlers")
	static class TwoHandlers {

		@GetMapping
		String get() {
			throw new IllegalArgumentException();
		}

		@ExceptionHandler
		String one(IllegalArgumentException ex) {
			return "one";
		}

		@ExceptionHandler(IllegalArgumentException.class)
		String two() {
			return "two";
		}

	}

	@EvUploadHandler(path = "/conditional")
	static class Conditional {

		@PostMapping(params = "x", consumes = "text/plain")
		String post() {
			return "";
		}

	}

}
