package io.evhttp.internal.multipart;

import io.evhttp.http.Headers;

/**
 * The head of one part of a {@code multipart/form-data} body.
 *
 * @param name form field name ({@code name} parameter), empty when absent
 * @param filename file name as sent ({@code filename*} decoded when given, as it wins
 * over {@code filename}), or {@code null} when the part is not a file. A quoted
 * {@code filename} is unquoted as RFC 9110 §5.6.4 says: {@code \"} and {@code \\} stand
 * for {@code "} and {@code \} ({@code "say \"hi\".txt"} is {@code say "hi".txt}), while a
 * backslash before any other character is kept, and so is every backslash of a value with
 * such a lone one and no {@code \"}, so that a Windows path sent raw
 * ({@code C:\Users\me\a.txt}, {@code \\server\share\x.doc}) arrives intact. A browser's
 * {@code %22} for a quote is kept as sent.
 * @param contentType the part's {@code Content-Type} as sent, even when it is not a valid
 * media type, or {@code text/plain} when absent (RFC 7578 §4.4)
 * @param charset the {@code charset} parameter of the part's type, or {@code null} (also
 * when the type is not a valid media type)
 * @param headers every part header, as sent
 */
public record Part(String name, String filename, String contentType, String charset, Headers headers) {

	/** Whether the part carries a file (a {@code filename}, even an empty one). */
	public boolean isFile() {
		return this.filename != null;
	}

}
