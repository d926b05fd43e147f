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
		if (maxRequestLineBytes < 16 || maxHeaderBytes < 16 || maxHeaderCount < 1) {
			throw new IllegalArgumentException(
					"head limits too small: " + maxRequestLineBytes + ", " + maxHeaderBytes + ", " + maxHeaderCount);
		}
	}

}
