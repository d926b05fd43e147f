package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The metadata IDEs read is generated, with descriptions and defaults, and
 * auto-configuration is registered.
 */
class ConfigurationMetadataTests {

	@Test
	void metadataDescribesEveryPropertyGroup() throws Exception {
		String json = read("META-INF/spring-configuration-metadata.json");
		assertThat(json).contains("\"name\": \"evhttp.tmp-path\"", "\"name\": \"evhttp.port\"",
				"\"name\": \"evhttp.cleanup-on-destroy\"", "\"name\": \"evhttp.real-ip-header\"",
				"\"name\": \"evhttp.timeout\"", "\"name\": \"evhttp.limits.field-value\"",
				"\"name\": \"evhttp.limits.parts\"", "\"name\": \"evhttp.shutdown.grace-period\"",
				"\"name\": \"evhttp.events.progress-bytes\"", "\"name\": \"evhttp.storage.type\"",
				"\"name\": \"evhttp.storage.s3.bucket\"", "\"name\": \"evhttp.storage.s3.part-size\"",
				"\"name\": \"evhttp.storage.s3.max-concurrent-requests\"",
				"\"name\": \"evhttp.storage.s3.sweep-interval\"", "\"name\": \"evhttp.resumable.enabled\"",
				"\"name\": \"evhttp.resumable.max-size\"", "\"name\": \"evhttp.resumable.expiry\"",
				"\"name\": \"evhttp.resumable.lease-wait\"", "\"name\": \"evhttp.resumable.storage-path\"",
				"\"name\": \"evhttp.resumable.s3.lease-duration\"");
		assertThat(json).contains("Largest upload (413 beyond); none when unset.");
		assertThat(json).contains("Directory where uploads are written while they arrive.");
		assertThat(json).contains("\"defaultValue\": 8090", "\"defaultValue\": \"8MB\"");
	}

	@Test
	void autoConfigurationIsRegistered() throws Exception {
		assertThat(read("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports").trim())
			.isEqualTo(EvHttpAutoConfiguration.class.getName() + "\n"
					+ io.evhttp.spring.actuate.EvHttpManagementAutoConfiguration.class.getName() + "\n"
					+ io.evhttp.spring.progress.ProgressChannelAutoConfiguration.class.getName());
	}

	private static String read(String resource) throws Exception {
		try (InputStream in = ConfigurationMetadataTests.class.getClassLoader().getResourceAsStream(resource)) {
			assertThat(in).as(resource).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
