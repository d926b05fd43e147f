package io.evhttp.internal.http;

import io.evhttp.http.Headers;

/**
 * A parsed request line and header section.
 *
 * @param method request method, case-sensitive (RFC 9110 §9.1)
 * @param target request target as sent (origin-form, absolute-form, or {@code *})
 * @param minorVersion 0 for HTTP/1.0, 1 for HTTP/1.1
 * @param headers header fields in the order received
 */
public record RequestHead(String method, String target, int minorVersion, Headers headers) {

	/** Whether the connection stays open after this request (RFC 9112 §9.3). */
	public boolean keepAlive() {
		String connection = this.headers.get("Connection");
		if (this.minorVersion == 0) {
			return connection != null && Tokens.containsToken(connection, "keep-alive");
		}
		return connection == null || !Tokens.containsToken(connection, "close");
	}

}
