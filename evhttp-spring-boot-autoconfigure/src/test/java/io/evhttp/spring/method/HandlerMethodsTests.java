package io.evhttp.spring.method;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.UploadedFile;
import io.evhttp.spring.EvUploadHandler;
import io.evhttp.spring.Threading;
import io.evhttp.spring.autoconfigure.EvHttpAutoConfiguration;
import io.evhttp.test.Wire;
import io.evhttp.test.Wire.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Handler methods served on a real port and spoken to on the wire: paths and their
 * escapes, 404, 405 and {@code OPTIONS}, every kind of parameter, every kind of return
 * value, and exceptions with and without problem details.
 */
class HandlerMethodsTests {

	@TempDir
	Path tmp;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EvHttpAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
		.withUserConfiguration(Beans.class);

	private void run(Consumer<Integer> test, String... properties) {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp.resolve("uploads"), "evhttp.port=0")
			.withPropertyValues(properties)
			.withBean("downloads", Path.class, () -> this.tmp)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				test.accept(port(context));
			});
	}

	private static int port(AssertableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
	}

	private static Reply exchange(int port, String method, String target, String... headers) {
		return exchange(port, method, target, null, headers);
	}

	private static Reply exchange(int port, String method, String target, byte[] body, String... headers) {
		StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\nHost: localhost");
		for (String header : headers) {
			head.append('\n').append(header);
		}
		if (body != null) {
			head.append("\nContent-Length: ").append(body.length);
		}
		try (Wire wire = new Wire(port)) {
			return wire.send(head.toString(), body).readFinal("HEAD".equals(method));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void pathVariableIsPercentDecodedAsUtf8AndPlusStaysPlus() {
		run((port) -> {
			Reply reply = exchange(port, "GET", "/files/a%20b+c%C3%A4.pdf");
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
			assertThat(reply.text()).isEqualTo("file a b+cä.pdf");
		});
	}

	@Test
	void captureAllVariableTakesTheRestOfThePath() {
		run((port) -> assertThat(exchange(port, "GET", "/files/tree/x/y%20z").text()).isEqualTo("rest /x/y z"));
	}

	@Test
	void badEscapesAndEncodedSlashesAre400() {
		run((port) -> {
			assertThat(exchange(port, "GET", "/files/a%zzb").status()).isEqualTo(400);
			assertThat(exchange(port, "GET", "/files/a%2").status()).isEqualTo(400);
			assertThat(exchange(port, "GET", "/files/a%2Fb").status()).isEqualTo(400);
			assertThat(exchange(port, "GET", "/files/a%2fb").status()).isEqualTo(400);
			assertThat(exchange(port, "GET", "/files/%C3%28").status()).isEqualTo(400);
		});
	}

	@Test
	void pathNoMethodMatchesIs404() {
		run((port) -> assertThat(exchange(port, "GET", "/files/a/b/c").status()).isEqualTo(404));
	}

	@Test
	void wrongMethodIs405WithTheMethodsOfThePath() {
		run((port) -> {
			Reply reply = exchange(port, "POST", "/files/report.pdf", new byte[0]);
			assertThat(reply.status()).isEqualTo(405);
			assertThat(reply.header("Allow")).isEqualTo("GET, HEAD, PUT, PATCH, DELETE, OPTIONS");
		});
	}

	@Test
	void wrongMethodAndUnknownPathAreRefusedBeforeTheBody() {
		run((port) -> {
			// the client waits for 100 Continue before sending 10 MB: the refusal comes
			// instead
			Reply wrongMethod = exchange(port, "POST", "/files/report.pdf", "Expect: 100-continue",
					"Content-Length: 10000000");
			assertThat(wrongMethod.status()).isEqualTo(405);
			assertThat(wrongMethod.header("Allow")).isEqualTo("GET, HEAD, PUT, PATCH, DELETE, OPTIONS");
			Reply unknown = exchange(port, "PUT", "/files/a/b/c", "Expect: 100-continue", "Content-Length: 10000000");
			assertThat(unknown.status()).isEqualTo(404);
			Reply dots = exchange(port, "PUT", "/files/%2e%2e", "Expect: 100-continue", "Content-Length: 10000000");
			assertThat(dots.status()).isEqualTo(400);
			assertThat(this.tmp.resolve("uploads")).isEmptyDirectory();
		});
	}

	@Test
	void dotSegmentsAre400EscapedOrNot() {
		run((port) -> {
			assertThat(exchange(port, "GET", "/files/..").status()).isEqualTo(400);
			assertThat(exchange(port, "GET", "/files/%2e%2E").status()).isEqualTo(400);
			assertThat(exchange(port, "GET", "/files/.").status()).isEqualTo(400);
			assertThat(exchange(port, "GET", "/files/..a").status()).isEqualTo(200);
		});
	}

	@Test
	void optionsIsAnswered204WithAllow() {
		run((port) -> {
			Reply reply = exchange(port, "OPTIONS", "/files/report.pdf");
			assertThat(reply.status()).isEqualTo(204);
			assertThat(reply.header("Allow")).isEqualTo("GET, HEAD, PUT, PATCH, DELETE, OPTIONS");
		});
	}

	@Test
	void headIsAnsweredByTheGetMethodWithoutBody() {
		run((port) -> {
			Reply reply = exchange(port, "HEAD", "/files/report.pdf");
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.header("Content-Length")).isEqualTo("15");
			assertThat(reply.body()).isEmpty();
		});
	}

	@Test
	void otherMethodsReachTheirOwnMethod() {
		run((port) -> {
			assertThat(exchange(port, "PUT", "/files/a", "x".getBytes()).text()).isEqualTo("put a 1");
			assertThat(exchange(port, "PATCH", "/files/a", new byte[0]).text()).isEqualTo("patch a");
			Reply deleted = exchange(port, "DELETE", "/files/a");
			assertThat(deleted.status()).isEqualTo(204);
			assertThat(deleted.body()).isEmpty();
		});
	}

	@Test
	void queryParametersAreConvertedWithDefaultsAndOptionals() {
		run((port) -> {
			UUID id = UUID.randomUUID();
			assertThat(exchange(port, "GET", "/files/query?count=3&id=" + id + "&n=1&n=2").text())
				.isEqualTo("3 " + id + " none [1, 2] 7");
			assertThat(exchange(port, "GET", "/files/query?count=3&id=" + id + "&note=hi&copies=9").text())
				.isEqualTo("3 " + id + " hi [] 9");
		});
	}

	@Test
	void missingOrUnconvertibleParameterIs400NamingIt() {
		run((port) -> {
			Reply missing = exchange(port, "GET", "/files/query?id=" + UUID.randomUUID());
			assertThat(missing.status()).isEqualTo(400);
			assertThat(missing.text()).contains("\"detail\":\"missing parameter 'count'\"");
			Reply bad = exchange(port, "GET", "/files/query?count=three&id=" + UUID.randomUUID());
			assertThat(bad.status()).isEqualTo(400);
			assertThat(bad.text()).contains("parameter 'count': 'three' is not a valid int");
			Reply header = exchange(port, "GET", "/files/header");
			assertThat(header.status()).isEqualTo(400);
			assertThat(header.text()).contains("missing header 'X-Tag'");
		}, "evhttp.problem-details.enabled=true");
	}

	@Test
	void headerRequestAndClientAddressAreBound() {
		run((port) -> assertThat(exchange(port, "GET", "/files/header", "X-Tag: blue").text())
			.isEqualTo("blue GET /files/header 127.0.0.1"));
	}

	@Test
	void uploadedFilesAndFormFieldsAreBound() {
		run((port) -> {
			byte[] body = ("--b\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\nmonthly\r\n"
					+ "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.txt\"\r\n\r\nfirst file\r\n"
					+ "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.txt\"\r\n\r\nsecond\r\n"
					+ "--b--\r\n")
				.getBytes(StandardCharsets.UTF_8);
			Reply reply = exchange(port, "POST", "/files/upload?copies=2", body,
					"Content-Type: multipart/form-data; boundary=b");
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.text()).isEqualTo("monthly 2: r.txt=first file, s.txt=second; multipart r.txt 10");
		});
	}

	@Test
	void urlencodedFieldIsARequestParam() {
		run((port) -> assertThat(exchange(port, "POST", "/files/form", "count=5&id=x".getBytes(),
				"Content-Type: application/x-www-form-urlencoded")
			.text()).isEqualTo("count 5"));
	}

	@Test
	void recordIsJsonThroughTheApplicationsMapper() {
		run((port) -> {
			Reply reply = exchange(port, "GET", "/files/item");
			assertThat(reply.header("Content-Type")).isEqualTo("application/json");
			assertThat(reply.text()).isEqualTo("{\"file_name\":\"a.pdf\",\"size\":42}");
		});
	}

	@Test
	void responseEntityCarriesStatusHeadersAndBody() {
		run((port) -> {
			Reply reply = exchange(port, "GET", "/files/entity");
			assertThat(reply.status()).isEqualTo(201);
			assertThat(reply.header("Location")).isEqualTo("/files/b.pdf");
			assertThat(reply.text()).isEqualTo("{\"file_name\":\"b.pdf\",\"size\":1}");
		});
	}

	@Test
	void problemDetailIsProblemJson() {
		run((port) -> {
			Reply reply = exchange(port, "GET", "/files/problem");
			assertThat(reply.status()).isEqualTo(409);
			assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
			assertThat(reply.text()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,"
					+ "\"detail\":\"already there\",\"instance\":\"/files/problem\",\"name\":\"a.pdf\"}");
		});
	}

	@Test
	void pathIsSentAsAFile() {
		run((port) -> {
			Reply reply = exchange(port, "GET", "/files/download/kept.txt");
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.header("Content-Type")).isEqualTo("text/plain");
			assertThat(reply.text()).isEqualTo("kept bytes");
			assertThat(exchange(port, "GET", "/files/download/missing.txt").status()).isEqualTo(404);
		});
	}

	@Test
	void voidMethodTakingTheResponseAnswersItself() {
		run((port) -> {
			Reply reply = exchange(port, "GET", "/files/own");
			assertThat(reply.status()).isEqualTo(202);
			assertThat(reply.text()).isEqualTo("own answer");
		});
	}

	@Test
	void failingMethodIs500ProblemWithoutItsMessage() {
		run((port) -> {
			Reply reply = exchange(port, "GET", "/files/boom");
			assertThat(reply.status()).isEqualTo(500);
			assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
			assertThat(reply.text()).contains("\"status\":500").doesNotContain("secret");
		}, "evhttp.problem-details.enabled=true");
	}

	@Test
	void failingMethodIsPlainTextWithoutProblemDetails() {
		run((port) -> {
			Reply reply = exchange(port, "GET", "/files/boom");
			assertThat(reply.status()).isEqualTo(500);
			assertThat(reply.header("Content-Type")).startsWith("text/plain");
			assertThat(reply.text()).doesNotContain("secret");
		});
	}

	@Test
	void responseStatusExceptionAndAnnotatedExceptionKeepTheirStatus() {
		run((port) -> {
			Reply gone = exchange(port, "GET", "/files/gone");
			assertThat(gone.status()).isEqualTo(410);
			assertThat(gone.text()).contains("\"detail\":\"gone for good\"");
			Reply withheld = exchange(port, "GET", "/files/withheld");
			assertThat(withheld.status()).isEqualTo(451);
			assertThat(withheld.text()).contains("\"detail\":\"withheld\"");
		}, "evhttp.problem-details.enabled=true");
	}

	@Test
	void mostSpecificExceptionHandlerShapesTheAnswer() {
		run((port) -> {
			Reply specific = exchange(port, "GET", "/files/handled?which=quota");
			assertThat(specific.status()).isEqualTo(507);
			assertThat(specific.text()).contains("\"detail\":\"over quota: 3\"");
			Reply general = exchange(port, "GET", "/files/handled?which=other");
			assertThat(general.status()).isEqualTo(422);
			assertThat(general.text()).isEqualTo("handled other");
			assertThat(exchange(port, "GET", "/files/conflict/x.pdf").text()).isEqualTo("handled conflict at x.pdf");
		});
	}

	@Test
	void eventLoopThreadingRunsTheMethodOnTheLoop() {
		run((port) -> {
			assertThat(exchange(port, "GET", "/loop/thread").text()).startsWith("evhttp-loop-");
			assertThat(exchange(port, "GET", "/files/thread").text()).doesNotStartWith("evhttp-loop-");
		});
	}

	@Test
	void resourceIsSentWhole() {
		run((port) -> {
			Reply reply = exchange(port, "GET", "/files/resource");
			assertThat(reply.header("Content-Type")).isEqualTo("application/octet-stream");
			assertThat(reply.text()).isEqualTo("resource bytes");
		});
	}

	@Test
	void headOfAFileHasItsLengthAndNoBody() {
		run((port) -> {
			Reply reply = exchange(port, "HEAD", "/files/download/kept.txt");
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.header("Content-Length")).isEqualTo("10");
			assertThat(reply.body()).isEmpty();
		});
	}

	@Test
	void missingRequiredFileIs400AndOptionalFileIsNull() {
		run((port) -> {
			byte[] body = "--b\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\nx\r\n--b--\r\n"
				.getBytes(StandardCharsets.UTF_8);
			Reply missing = exchange(port, "POST", "/files/upload?copies=1", body,
					"Content-Type: multipart/form-data; boundary=b");
			assertThat(missing.status()).isEqualTo(400);
			assertThat(missing.text()).contains("missing file 'file'");
			Reply optional = exchange(port, "POST", "/files/optional", body,
					"Content-Type: multipart/form-data; boundary=b");
			assertThat(optional.text()).isEqualTo("no attachment");
		}, "evhttp.problem-details.enabled=true");
	}

	@Test
	void classMappingPrefixesMethodsAndAMappingWithoutMethodTakesAny() {
		run((port) -> {
			assertThat(exchange(port, "DELETE", "/api/v1/echo").text()).isEqualTo("any DELETE");
			assertThat(exchange(port, "POST", "/api/v1/echo", new byte[0]).text()).isEqualTo("any POST");
			assertThat(exchange(port, "GET", "/api/v1/echo").text()).isEqualTo("get");
			assertThat(exchange(port, "GET", "/api/echo").status()).isEqualTo(404);
		});
	}

	record Item(String fileName, int size) {
	}

	static class Conflict extends RuntimeException {

		Conflict(String message) {
			super(message);
		}

	}

	static class OverQuota extends Conflict {

		final int used;

		OverQuota(int used) {
			super("quota");
			this.used = used;
		}

	}

	@ResponseStatus(code = HttpStatus.UNAVAILABLE_FOR_LEGAL_REASONS, reason = "withheld")
	static class Withheld extends RuntimeException {

	}

	@Configuration(proxyBeanMethods = false)
	static class Beans {

		@Bean
		JsonMapper jsonMapper() {
			return JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
		}

		@Bean
		FileMethods fileMethods(Path downloads) {
			return new FileMethods(downloads);
		}

		@Bean
		ApiMethods apiMethods() {
			return new ApiMethods();
		}

		@Bean
		LoopMethods loopMethods() {
			return new LoopMethods();
		}

	}

	@EvUploadHandler(path = "/files/**")
	static class FileMethods {

		private final Path downloads;

		FileMethods(Path downloads) {
			this.downloads = downloads;
		}

		@GetMapping("/{name}")
		String get(@PathVariable String name) {
			return "file " + name;
		}

		@PutMapping("/{id}")
		String put(@PathVariable("id") String name, Request request) {
			return "put " + name + " " + request.body().size();
		}

		@PatchMapping("/{name}")
		String patch(@PathVariable String name) {
			return "patch " + name;
		}

		@DeleteMapping("/{name}")
		@ResponseStatus(HttpStatus.NO_CONTENT)
		void delete(@PathVariable String name) {
		}

		@GetMapping("/tree/{*rest}")
		String tree(@PathVariable String rest) {
			return "rest " + rest;
		}

		@GetMapping("/query")
		String query(@RequestParam int count, @RequestParam UUID id, @RequestParam Optional<String> note,
				@RequestParam(name = "n", required = false) List<Integer> numbers,
				@RequestParam(defaultValue = "7") long copies) {
			return count + " " + id + " " + note.orElse("none") + " " + numbers + " " + copies;
		}

		@GetMapping("/header")
		String header(@RequestHeader("X-Tag") String tag, Request request, InetSocketAddress client) {
			return tag + " " + request.method() + " " + request.path() + " " + client.getAddress().getHostAddress();
		}

		@PostMapping("/upload")
		String upload(@RequestParam String label, @RequestParam int copies,
				@RequestPart("file") List<UploadedFile> files, @RequestParam("file") MultipartFile first)
				throws IOException {
			StringBuilder answer = new StringBuilder(label + " " + copies + ":");
			for (UploadedFile file : files) {
				try (InputStream in = file.inputStream()) {
					answer.append(' ')
						.append(file.filename())
						.append('=')
						.append(new String(in.readAllBytes(), StandardCharsets.UTF_8))
						.append(',');
				}
			}
			answer.setLength(answer.length() - 1);
			return answer + "; multipart " + first.getOriginalFilename() + " " + first.getSize();
		}

		@RequestMapping(path = "/form", method = RequestMethod.POST)
		String form(@RequestParam int count) {
			return "count " + count;
		}

		@GetMapping("/item")
		Item item() {
			return new Item("a.pdf", 42);
		}

		@GetMapping("/entity")
		ResponseEntity<Item> entity() {
			return ResponseEntity.status(HttpStatus.CREATED)
				.header("Location", "/files/b.pdf")
				.body(new Item("b.pdf", 1));
		}

		@GetMapping("/problem")
		ProblemDetail problem() {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "already there");
			problem.setProperty("name", "a.pdf");
			return problem;
		}

		@GetMapping("/download/{name}")
		Path download(@PathVariable String name) throws IOException {
			Files.writeString(this.downloads.resolve("kept.txt"), "kept bytes");
			return this.downloads.resolve(name);
		}

		@GetMapping("/resource")
		Resource resource() {
			return new ByteArrayResource("resource bytes".getBytes(StandardCharsets.UTF_8));
		}

		@PostMapping("/optional")
		String optional(@RequestParam(required = false) UploadedFile attachment) {
			return (attachment != null) ? attachment.filename() : "no attachment";
		}

		@GetMapping("/own")
		void own(Response response) {
			response.status(202).send("own answer");
		}

		@GetMapping("/boom")
		String boom() {
			throw new IllegalStateException("secret internals");
		}

		@GetMapping("/gone")
		String gone() {
			throw new ResponseStatusException(HttpStatus.GONE, "gone for good");
		}

		@GetMapping("/withheld")
		String withheld() {
			throw new Withheld();
		}

		@GetMapping("/handled")
		String handled(@RequestParam String which) {
			throw "quota".equals(which) ? new OverQuota(3) : new Conflict(which);
		}

		@GetMapping("/conflict/{name}")
		String conflict(@PathVariable String name) {
			throw new Conflict("conflict");
		}

		@GetMapping("/thread")
		String thread() {
			return Thread.currentThread().getName();
		}

		@ExceptionHandler(OverQuota.class)
		ProblemDetail overQuota(OverQuota ex) {
			return ProblemDetail.forStatusAndDetail(HttpStatus.INSUFFICIENT_STORAGE, "over quota: " + ex.used);
		}

		@ExceptionHandler(Conflict.class)
		ResponseEntity<String> conflict(Conflict ex, @PathVariable Optional<String> name) {
			return ResponseEntity.unprocessableContent()
				.body("handled " + ex.getMessage() + name.map((n) -> " at " + n).orElse(""));
		}

	}

	@EvUploadHandler(path = "/api/**")
	@RequestMapping("/v1")
	static class ApiMethods {

		@RequestMapping("/echo")
		String any(Request request) {
			return "any " + request.method();
		}

		@GetMapping("/echo")
		String get() {
			return "get";
		}

	}

	@EvUploadHandler(path = "/loop/**", threading = Threading.EVENT_LOOP)
	static class LoopMethods {

		@GetMapping("/thread")
		String thread() {
			return Thread.currentThread().getName();
		}

	}

}
