package io.evhttp.spring.progress;

import io.evhttp.spring.EvRoute;
import io.evhttp.spring.Threading;
import io.evhttp.spring.autoconfigure.EvHttpAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.unit.DataSize;

/**
 * The private progress channel on {@code evhttp.port}, with
 * {@code evhttp.progress.enabled=true}.
 */
@AutoConfiguration(after = EvHttpAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "evhttp.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("evhttp.progress.enabled")
@EnableConfigurationProperties(ProgressChannelProperties.class)
public final class ProgressChannelAutoConfiguration {

	@Bean
	ProgressChannel evhttpProgressChannel(ProgressChannelProperties properties) {
		return new ProgressChannel(properties.getPath(), properties.getHeartbeat(), properties.getMaxSubscribers());
	}

	@Bean
	EvRoute evhttpProgressRoute(ProgressChannel channel, ProgressChannelProperties properties) {
		String path = properties.getPath().endsWith("/") ? properties.getPath() : properties.getPath() + "/";
		return EvRoute.of(channel, path + "*")
			.threading(Threading.EVENT_LOOP)
			.maxRequestSize(DataSize.ofBytes(0))
			.events(false);
	}

}
