package io.evhttp.http;

/**
 * Limits on a request head, counted as bytes arrive.
 *
 * <table>
 * <caption>Limits</caption>
 * <tr>
 * <th>limit</th>
 * <th>default</th>
 * <th>status when crossed</th>
 * </tr>
 * <tr>
 * <td>{@code maxRequestLineBytes}</td>
 * <td>8 KiB</td>
 * <td>414</td>
 * </tr>
 * <tr>
 * <td>{@code maxHeaderBytes} (header section, request line excluded)</td>
 * <td>16 KiB</td>
 * <td>431</td>
 * </tr>
 * <tr>
 * <td>{@code maxHeaderCount}</td>
 * <td>100</td>
 * <td>431</td>
 * </tr>
 * </table>
 *
 * @param maxRequestLineBytes longest request line, CRLF excluded
 * @param maxHeaderBytes largest header section, CRLFs included
 * @param maxHeaderCount most header fields
 */
public record HeadLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount) {

	public static final HeadLimits DEFAULTS = new HeadLimits(8 * 1024, 16 * 1024, 100);

	public HeadLimits {
		atLeast(16, maxRequestLineBytes, "maxRequestLineBytes");
		atLeast(16, maxHeaderBytes, "maxHeaderBytes");
		atLeast(1, maxHeaderCount, "maxHeaderCount");
	}

	public HeadLimits withMaxRequestLineBytes(int maxRequestLineBytes) {
		return new HeadLimits(maxRequestLineBytes, this.maxHeaderBytes, this.maxHeaderCount);
	}

	public HeadLimits withMaxHeaderBytes(int maxHeaderBytes) {
		return new HeadLimits(this.maxRequestLineBytes, maxHeaderBytes, this.maxHeaderCount);
	}

	public HeadLimits withMaxHeaderCount(int maxHeaderCount) {
		return new HeadLimits(this.maxRequestLineBytes, this.maxHeaderBytes, maxHeaderCount);
	}

	private static void atLeast(int min, int value, String name) {
		if (value < min) {
			throw new IllegalArgumentException("head limit " + name + " must be at least " + min + ": " + value);
		}
	}

}
