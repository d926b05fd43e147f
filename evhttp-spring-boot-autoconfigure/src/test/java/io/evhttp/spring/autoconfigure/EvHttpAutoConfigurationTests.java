package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.server.EvServer;
import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.ServerOptions;
import io.evhttp.spring.EvUploadHandler;
import io.evhttp.upload.DigestAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class EvHttpAutoConfigurationTests {

	@TempDir
	Path tmp;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EvHttpAutoConfiguration.class));

	@Test
	void defaultsGiveTheDocumentedOptions() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp).run((context) -> {
			assertThat(context).hasSingleBean(EvServer.class).hasSingleBean(EvServerLifecycle.class);
			ServerOptions options = context.getBean(ServerOptions.class);
			assertThat(options.timeouts().timeout()).isEqualTo(Duration.ofSeconds(60));
			assertThat(options.timeouts().bodyRateGraceOrTimeout()).isEqualTo(Duration.ofSeconds(60));
			assertThat(options.timeouts().minBodyRate()).isEqualTo(240);
			assertThat(options.timeouts().minResponseRate()).isEqualTo(240);
			assertThat(options.limits().maxFileBytes()).isEqualTo(-1);
			assertThat(options.limits().form().maxValueBytes()).isEqualTo(50 * 1024);
			assertThat(options.limits().query().maxValueBytes()).isEqualTo(4 * 1024);
			assertThat(options.limits().multipart().maxParts()).isEqualTo(1000);
			assertThat(options.uploads().digest()).isEqualTo(DigestAlgorithm.NONE);
			assertThat(options.proxies().realIpHeader()).isNull();
			assertThat(options.uploads().tmpPath()).isEqualTo(this.tmp);
			assertThat(options.uploads().diskWriteExecutor()).isNull();
		});
	}

	@Test
	void propertiesBindToOptions() {
		this.runner
			.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.timeout=5s", "evhttp.body-rate-grace=2s",
					"evhttp.min-body-rate=1KB", "evhttp.limits.file=10MB", "evhttp.limits.request=20MB",
					"evhttp.limits.parts=7", "evhttp.limits.header-section=4KB", "evhttp.digest=sha-256",
					"evhttp.real-ip-header=X-Real-IP", "evhttp.trusted-proxies=10.0.0.0/8", "evhttp.event-loops=3",
					"evhttp.max-connections=500", "evhttp.disk-budget=1GB", "evhttp.disk-write=executor")
			.run((context) -> {
				ServerOptions options = context.getBean(ServerOptions.class);
				assertThat(options.timeouts().timeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(options.timeouts().bodyRateGraceOrTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(options.timeouts().minBodyRate()).isEqualTo(1024);
				assertThat(options.limits().maxFileBytes()).isEqualTo(10 * 1024 * 1024);
				assertThat(options.limits().maxRequestBytes()).isEqualTo(20 * 1024 * 1024);
				assertThat(options.limits().multipart().maxParts()).isEqualTo(7);
				assertThat(options.limits().head().maxHeaderBytes()).isEqualTo(4096);
				assertThat(options.uploads().digest()).isEqualTo(DigestAlgorithm.SHA_256);
				assertThat(options.proxies().realIpHeader()).isEqualTo("X-Real-IP");
				assertThat(options.proxies().trustedProxies()).containsExactly("10.0.0.0/8");
				assertThat(options.network().eventLoops()).isEqualTo(3);
				assertThat(options.network().maxConnections()).isEqualTo(500);
				assertThat(options.uploads().diskBudgetBytes()).isEqualTo(1024L * 1024 * 1024);
				assertThat(options.uploads().diskWriteExecutor()).isNotNull();
			});
	}

	@Test
	void preambleLimitDefaultsTo8KiBAndBindsFromItsProperty() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp)
			.run((context) -> assertThat(context.getBean(ServerOptions.class).limits().multipart().maxPreambleBytes())
				.isEqualTo(8 * 1024));
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.limits.preamble=1KB")
			.run((context) -> assertThat(context.getBean(ServerOptions.class).limits().multipart().maxPreambleBytes())
				.isEqualTo(1024));
	}

	@Test
	void valueTheCoreRefusesFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.limits.file=-5B")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("evhttp.limits.file")
				.hasMessageContaining("limits.maxFileBytes must be -1 (none) or at least 0: -5"));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("evhttp.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EvServer.class)
				.doesNotHaveBean(EvServerLifecycle.class));
	}

	@Test
	void backsOffWhenCoreIsAbsent() {
		this.runner.withClassLoader(new FilteredClassLoader(EvServer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(EvServerLifecycle.class));
	}

	@Test
	void serverBeanBacksOffWhenUserDefinesOne() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp)
			.withUserConfiguration(UserServer.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(EvServer.class);
				assertThat(context.getBean(EvServer.class).options().network().eventLoops()).isEqualTo(1);
			});
	}

	@Test
	void optionsBeanBacksOffWhenUserDefinesOne() {
		this.runner.withUserConfiguration(UserOptions.class)
			.run((context) -> assertThat(context.getBean(EvServer.class).options().timeouts().timeout())
				.isEqualTo(Duration.ofSeconds(7)));
	}

	@Test
	void unwritableTmpPathFailsStartupWithAnAnalysisNamingIt() throws Exception {
		Path file = Files.writeString(this.tmp.resolve("file"), "x");
		Path bad = file.resolve("uploads");
		this.runner.withPropertyValues("evhttp.tmp-path=" + bad).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new EvHttpFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("evhttp.tmp-path " + bad);
			assertThat(analysis.getAction()).contains("evhttp.tmp-path");
		});
	}

	@Test
	void portInUseFailsStartupWithAnAnalysis() throws Exception {
		try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
			this.runner
				.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=" + taken.getLocalPort(),
						"evhttp.address=127.0.0.1")
				.withUserConfiguration(OneHandler.class)
				.run((context) -> {
					assertThat(context).hasFailed();
					FailureAnalysis analysis = new EvHttpFailureAnalyzer().analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains("port " + taken.getLocalPort());
				});
		}
	}

	@Test
	void annotatedBeanThatIsNoHandlerFailsStartupNamingIt() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0")
			.withUserConfiguration(NotAHandlerConfig.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("'notAHandler'")
				.hasMessageContaining("neither implements"));
	}

	@Test
	void handlerMistakesAreAnalysedWithTheirFix() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0")
			.withUserConfiguration(NotAHandlerConfig.class)
			.run((context) -> {
				FailureAnalysis analysis = new EvHttpFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'notAHandler'").contains("neither implements");
				assertThat(analysis.getAction()).contains("Implement io.evhttp.server.Handler");
			});
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0")
			.withBean("megs", TenMegs.class)
			.run((context) -> {
				FailureAnalysis analysis = new EvHttpFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'megs'").contains("maxFileSize: '10 megs'");
				assertThat(analysis.getAction()).contains("10MB");
			});
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0")
			.withUserConfiguration(ClashingHandlers.class)
			.run((context) -> assertThat(new EvHttpFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
				.contains("another path or port"));
	}

	@Test
	void badPortAndProxyPropertiesFailStartupNamingTheProperty() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=99999")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("evhttp")
				.rootCause()
				.hasMessageContaining("65535"));
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.trusted-proxies=banana")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(
						org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("evhttp.trusted-proxies")
				.hasMessageContaining("banana"));
	}

	@EvUploadHandler(maxFileSize = "10 megs")
	static class TenMegs extends Same {

	}

	@Test
	void twoHandlersOnTheSamePortAndPathFailStartupNamingBoth() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0")
			.withUserConfiguration(ClashingHandlers.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("'first'")
				.hasMessageContaining("'second'")
				.hasMessageContaining("/same"));
	}

	@Test
	void customizersAdjustTheBoundOptionsInOrder() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0", "evhttp.max-connections=10")
			.withBean("first", io.evhttp.spring.EvServerOptionsCustomizer.class,
					() -> new OrderedCustomizer(1,
							(options) -> options
								.network((network) -> network.withMaxConnections(network.maxConnections() * 3))))
			.withBean("second", io.evhttp.spring.EvServerOptionsCustomizer.class,
					() -> new OrderedCustomizer(2,
							(options) -> options
								.network((network) -> network.withMaxConnections(network.maxConnections() + 1))))
			.run((context) -> assertThat(context.getBean(ServerOptions.class).network().maxConnections())
				.isEqualTo(31));
	}

	record OrderedCustomizer(int order, io.evhttp.spring.EvServerOptionsCustomizer delegate)
			implements
				io.evhttp.spring.EvServerOptionsCustomizer,
				org.springframework.core.Ordered {

		@Override
		public void customize(ServerOptions.Builder options) {
			this.delegate.customize(options);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

	@Test
	void routeBeansAreServedWithTheirOwnLimitsAndClashWithAnnotatedHandlers() {
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0")
			.withUserConfiguration(RouteInCode.class)
			.run((context) -> {
				int port = context.getEnvironment().getRequiredProperty("local.evhttp.port", Integer.class);
				java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
				java.net.http.HttpResponse<String> small = client.send(java.net.http.HttpRequest
					.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/code/x"))
					.POST(java.net.http.HttpRequest.BodyPublishers.ofString("12345"))
					.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
				assertThat(small.body()).isEqualTo("in code");
				java.net.http.HttpResponse<String> large = client.send(java.net.http.HttpRequest
					.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/code/x"))
					.POST(java.net.http.HttpRequest.BodyPublishers.ofString("x".repeat(100)))
					.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
				assertThat(large.statusCode()).isEqualTo(413);
			});
		this.runner.withPropertyValues("evhttp.tmp-path=" + this.tmp, "evhttp.port=0")
			.withUserConfiguration(RouteInCode.class)
			.withBean("annotated", CodeClash.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("'annotated'")
				.hasMessageContaining("'inCode'")
				.hasMessageContaining("/code/**"));
	}

	@Configuration(proxyBeanMethods = false)
	static class RouteInCode {

		@Bean
		io.evhttp.spring.EvRoute inCode() {
			return io.evhttp.spring.EvRoute.of((request, response) -> response.send("in code"), "/code/**")
				.maxRequestSize(org.springframework.util.unit.DataSize.ofBytes(10));
		}

	}

	@EvUploadHandler(path = "/code/**")
	static class CodeClash extends Same {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserServer {

		@Bean
		EvServer myServer(ServerOptions options) {
			return new EvServer(options.toBuilder().network((n) -> n.withEventLoops(1)).build());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserOptions {

		@Bean
		ServerOptions myOptions() {
			return ServerOptions.builder()
				.timeouts((t) -> t.withTimeout(Duration.ofSeconds(7)))
				.uploads((u) -> u.withTmpPath(Path.of(System.getProperty("java.io.tmpdir"), "evhttp-options-test")))
				.build();
		}

	}

	@EvUploadHandler(path = "/x")
	static class Ok implements Handler {

		@Override
		public void handle(Request request, Response response) {
			response.send("ok");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OneHandler {

		@Bean
		Ok ok() {
			return new Ok();
		}

	}

	@EvUploadHandler
	static class NotAHandler {

	}

	@Configuration(proxyBeanMethods = false)
	static class NotAHandlerConfig {

		@Bean
		NotAHandler notAHandler() {
			return new NotAHandler();
		}

	}

	@EvUploadHandler(path = "/same")
	static class Same implements Handler {

		@Override
		public void handle(Request request, Response response) {
			response.send("same");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ClashingHandlers {

		@Bean
		Same first() {
			return new Same();
		}

		@Bean
		Same second() {
			return new Same();
		}

	}

}
