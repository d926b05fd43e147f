package io.evhttp.multipart;

import io.evhttp.http.Headers;

/**
 * The head of one part of a {@code multipart/form-data} body.
 *
 * @param name form field name ({@code name} parameter), empty when absent
 * @param filename file name as sent ({@code filename*} decoded when given, as it wins
 * over {@code filename}), or {@code null} when the part is not a file
 * @param contentType the part's {@code Content-Type}, or {@code text/plain} (RFC 7578
 * §4.4)
 * @param charset the {@code charset} parameter of the part's type, or {@code null}
 * @param headers every part header, as sent
 */
public record Part(String name, String filename, String contentType, String charset, Headers headers) {

	/** Whether the part carries a file (a {@code filename}, even an empty one). */
	public boolean isFile() {
		return this.filename != null;
	}

}
