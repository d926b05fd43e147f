package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.server.ServerOptions;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The mapping of {@code evhttp.*} onto {@link ServerOptions}: the defaults written in
 * {@link EvHttpProperties} (which the configuration metadata and the README show) must be
 * the core's, setting by setting.
 */
class ServerOptionsMappingTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesOnly.class);

	@Test
	void everyPropertyDefaultIsTheCoreDefault() {
		this.runner.run((context) -> {
			ServerOptions mapped = ServerOptionsMapping.of(context.getBean(EvHttpProperties.class), () -> null);
			List<String> settings = new ArrayList<>();
			SoftAssertions softly = new SoftAssertions();
			walk("", mapped, ServerOptions.defaults(), settings, softly);
			softly.assertAll();
			assertThat(settings).contains("limits.maxFileBytes", "limits.head.maxHeaderBytes", "timeouts.bodyRateGrace",
					"uploads.tmpPath", "proxies.trustedProxies", "network.eventLoops");
		});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			evhttp.limits.file=-5B            | evhttp.limits.file
			evhttp.limits.request=-2B         | evhttp.limits.request
			evhttp.disk-budget=-3B            | evhttp.disk-budget
			evhttp.event-loops=0              | evhttp.event-loops
			evhttp.read-buffer=1KB            | evhttp.read-buffer
			evhttp.max-connections=-1         | evhttp.max-connections
			evhttp.timeout=-1s                | evhttp.timeout
			evhttp.body-rate-grace=-1s        | evhttp.body-rate-grace
			evhttp.min-body-rate=-1B          | evhttp.min-body-rate
			evhttp.limits.header-section=8B   | evhttp.limits.header-section
			evhttp.limits.header-count=0      | evhttp.limits.header-count
			evhttp.limits.fields=0            | evhttp.limits.fields
			evhttp.limits.parts=0             | evhttp.limits.parts
			evhttp.limits.preamble=0B         | evhttp.limits.preamble
			evhttp.trusted-proxies=10.0.0.0/33 | evhttp.trusted-proxies
			""")
	void valueTheCoreRefusesFailsNamingItsProperty(String property, String name) {
		this.runner.withPropertyValues(property).run((context) -> {
			EvHttpProperties properties = context.getBean(EvHttpProperties.class);
			try {
				ServerOptionsMapping.of(properties, () -> null);
				throw new AssertionError("accepted " + property);
			}
			catch (InvalidConfigurationPropertyValueException ex) {
				assertThat(ex.getName()).isEqualTo(name);
				assertThat(ex.getMessage()).contains(name);
			}
		});
	}

	/** Compares two records component by component, into nested records. */
	private static void walk(String path, Object mapped, Object core, List<String> settings, SoftAssertions softly)
			throws ReflectiveOperationException {
		for (RecordComponent component : core.getClass().getRecordComponents()) {
			String name = path.isEmpty() ? component.getName() : path + "." + component.getName();
			Object mappedValue = component.getAccessor().invoke(mapped);
			Object coreValue = component.getAccessor().invoke(core);
			if (component.getType().isRecord() && coreValue != null && mappedValue != null) {
				walk(name, mappedValue, coreValue, settings, softly);
			}
			else {
				softly.assertThat(mappedValue).as(name).isEqualTo(coreValue);
				settings.add(name);
			}
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(EvHttpProperties.class)
	static class PropertiesOnly {

	}

}
