package io.evhttp.form;

/**
 * Caps on decoded form fields, shared by query strings, urlencoded bodies and multipart
 * fields.
 *
 * @param maxNameBytes longest field name, decoded (seed default 4 KiB)
 * @param maxValueBytes longest field value, decoded (seed: 4 KiB for queries, 50 KiB for
 * bodies)
 * @param maxFields most fields
 */
public record FormLimits(int maxNameBytes, int maxValueBytes, int maxFields) {

	/** Defaults for query strings. */
	public static final FormLimits QUERY_DEFAULTS = new FormLimits(4 * 1024, 4 * 1024, 1000);

	/** Defaults for request bodies. */
	public static final FormLimits BODY_DEFAULTS = new FormLimits(4 * 1024, 50 * 1024, 1000);

	public FormLimits {
		positive(maxNameBytes, "maxNameBytes");
		positive(maxValueBytes, "maxValueBytes");
		positive(maxFields, "maxFields");
	}

	public FormLimits withMaxNameBytes(int maxNameBytes) {
		return new FormLimits(maxNameBytes, this.maxValueBytes, this.maxFields);
	}

	public FormLimits withMaxValueBytes(int maxValueBytes) {
		return new FormLimits(this.maxNameBytes, maxValueBytes, this.maxFields);
	}

	public FormLimits withMaxFields(int maxFields) {
		return new FormLimits(this.maxNameBytes, this.maxValueBytes, maxFields);
	}

	private static void positive(int value, String name) {
		if (value < 1) {
			throw new IllegalArgumentException("form limit " + name + " must be positive: " + value);
		}
	}

}
