package io.evhttp.multipart;

/**
 * Limits the multipart parser counts as bytes arrive; field and file sizes are the
 * consumer's.
 *
 * <table>
 * <caption>Limits</caption>
 * <tr>
 * <th>limit</th>
 * <th>default</th>
 * <th>status when crossed</th>
 * </tr>
 * <tr>
 * <td>{@code maxPartHeaderBytes}, one part's header section</td>
 * <td>8 KiB</td>
 * <td>413</td>
 * </tr>
 * <tr>
 * <td>{@code maxParts}</td>
 * <td>1000</td>
 * <td>413</td>
 * </tr>
 * <tr>
 * <td>{@code maxPreambleBytes}, bytes before the first delimiter</td>
 * <td>8 KiB</td>
 * <td>400</td>
 * </tr>
 * </table>
 *
 * @param maxPartHeaderBytes largest header section of one part, CRLFs included
 * @param maxParts most parts in one body
 * @param maxPreambleBytes most bytes before the first delimiter (RFC 2046 §5.1.1
 * preamble). Browsers, curl and the common client libraries send none, so a body that
 * runs past this without its boundary is refused at once instead of read to its end.
 */
public record MultipartLimits(int maxPartHeaderBytes, int maxParts, int maxPreambleBytes) {

	public static final int DEFAULT_MAX_PREAMBLE_BYTES = 8 * 1024;

	public static final MultipartLimits DEFAULTS = new MultipartLimits(8 * 1024, 1000, DEFAULT_MAX_PREAMBLE_BYTES);

	public MultipartLimits {
		atLeast(1, maxPartHeaderBytes, "maxPartHeaderBytes");
		atLeast(1, maxParts, "maxParts");
		atLeast(0, maxPreambleBytes, "maxPreambleBytes");
	}

	/** Limits with the default {@code maxPreambleBytes}. */
	public MultipartLimits(int maxPartHeaderBytes, int maxParts) {
		this(maxPartHeaderBytes, maxParts, DEFAULT_MAX_PREAMBLE_BYTES);
	}

	public MultipartLimits withMaxPartHeaderBytes(int maxPartHeaderBytes) {
		return new MultipartLimits(maxPartHeaderBytes, this.maxParts, this.maxPreambleBytes);
	}

	public MultipartLimits withMaxParts(int maxParts) {
		return new MultipartLimits(this.maxPartHeaderBytes, maxParts, this.maxPreambleBytes);
	}

	public MultipartLimits withMaxPreambleBytes(int maxPreambleBytes) {
		return new MultipartLimits(this.maxPartHeaderBytes, this.maxParts, maxPreambleBytes);
	}

	private static void atLeast(int min, int value, String name) {
		if (value < min) {
			throw new IllegalArgumentException("multipart limit " + name + " must be at least " + min + ": " + value);
		}
	}

}
