package io.evhttp.spring;

/** Where an {@link EvUploadHandler} runs. */
public enum Threading {

	/**
	 * On Boot's {@code applicationTaskExecutor} (virtual threads when
	 * {@code spring.threads.virtual.enabled} on Java 21+): the handler may block.
	 */
	EXECUTOR,

	/** On the connection's event loop: fastest, but the handler must never block. */
	EVENT_LOOP

}
