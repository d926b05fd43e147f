package io.evhttp.internal.http;

import io.evhttp.http.HttpException;
import java.util.Locale;

/**
 * A request target (RFC 9112 §3.2) split into what routing needs.
 *
 * <p>
 * Accepted: origin-form ({@code /path?query}); absolute-form
 * ({@code http://host:port/path?query}), which a server MUST accept (§3.2.2) and whose
 * authority then stands in for {@code Host} (§3.2.2); asterisk-form ({@code *}) with
 * {@code OPTIONS}. Anything else gets 400, as does a fragment, an absolute-form with user
 * info (a spoofing vector, RFC 9110 §4.2.4) or without a host.
 *
 * @param path the path as sent, not decoded: {@code /} for an absolute-form target
 * without one, {@code *} for the asterisk-form
 * @param rawQuery the query as sent (after {@code ?}), or {@code null}
 * @param authority {@code host[:port]} of an absolute-form target, else {@code null}
 */
public record RequestTarget(String path, String rawQuery, String authority) {

	/** Splits {@code target}, which the head parser has checked for visible ASCII. */
	public static RequestTarget parse(String method, String target) {
		if (target.indexOf('#') >= 0) {
			throw HttpException.badRequest("fragment in request target");
		}
		if (target.startsWith("/")) {
			return withQuery(target, 0, null);
		}
		if (target.equals("*")) {
			if (!method.equals("OPTIONS")) {
				throw HttpException.badRequest("asterisk-form target with " + method);
			}
			return new RequestTarget("*", null, null);
		}
		int scheme = target.indexOf("://");
		String name = (scheme > 0) ? target.substring(0, scheme).toLowerCase(Locale.ROOT) : "";
		if (!name.equals("http") && !name.equals("https")) {
			throw HttpException.badRequest("malformed request target");
		}
		int start = scheme + 3;
		int end = start;
		while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
			end++;
		}
		String authority = target.substring(start, end);
		if (authority.isEmpty() || authority.startsWith(":") || authority.indexOf('@') >= 0) {
			throw HttpException.badRequest("malformed authority in request target");
		}
		return withQuery(target, end, authority);
	}

	private static RequestTarget withQuery(String target, int pathStart, String authority) {
		int q = target.indexOf('?', pathStart);
		String path = (q < 0) ? target.substring(pathStart) : target.substring(pathStart, q);
		return new RequestTarget(path.isEmpty() ? "/" : path, (q < 0) ? null : target.substring(q + 1), authority);
	}

}
