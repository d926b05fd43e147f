package io.evhttp.spring.autoconfigure;

/**
 * What the resumable endpoint reports to meters; free of Micrometer types, so the
 * endpoint runs without it ({@link #NONE}).
 */
interface ResumableMeters {

	ResumableMeters NONE = new ResumableMeters() {
	};

	/** Once per upload and step: created, completed, terminated, expired or failed. */
	default void uploadEvent(String event) {
	}

	/** Bytes a request stored (acknowledged to its client). */
	default void received(long bytes) {
	}

	/** One call into the store, how long it took, and whether it threw. */
	default void storeCall(String operation, long nanos, boolean failed) {
	}

}
