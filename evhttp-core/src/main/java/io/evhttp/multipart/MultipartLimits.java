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
 * </table>
 *
 * @param maxPartHeaderBytes largest header section of one part, CRLFs included
 * @param maxParts most parts in one body
 */
public record MultipartLimits(int maxPartHeaderBytes, int maxParts) {

	public static final MultipartLimits DEFAULTS = new MultipartLimits(8 * 1024, 1000);

}
