package io.evhttp.spring.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * How long a stop lets requests in flight run: {@code evhttp.shutdown.grace-period}, none
 * with Boot's {@code server.shutdown=immediate}, and always ending a second before
 * {@code spring.lifecycle.timeout-per-shutdown-phase}, so Spring never gives up on a
 * server that is still stopping.
 */
final class ShutdownTimes {

	/** Boot's default phase timeout. */
	static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

	/** Left of the phase for closing connections and ending the threads. */
	static final Duration CLOSING_TIME = Duration.ofSeconds(1);

	private ShutdownTimes() {
	}

	static Duration gracePeriod(EvHttpProperties properties, Environment environment) {
		Binder binder = Binder.get(environment);
		String mode = binder.bind("server.shutdown", String.class).orElse("graceful");
		if ("immediate".equalsIgnoreCase(mode)) {
			return Duration.ZERO;
		}
		Duration grace = properties.getShutdown().getGracePeriod();
		if (grace == null || grace.isNegative()) {
			grace = Duration.ZERO;
		}
		Duration phase = binder.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(DEFAULT_PHASE_TIMEOUT);
		Duration bound = phase.minus(CLOSING_TIME);
		if (bound.isNegative()) {
			bound = Duration.ZERO;
		}
		return (grace.compareTo(bound) > 0) ? bound : grace;
	}

}
