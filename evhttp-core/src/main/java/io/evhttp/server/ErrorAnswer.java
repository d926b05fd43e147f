package io.evhttp.server;

import io.evhttp.http.HttpException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The server's own answer to a refused request: status line, {@code Date}, the header
 * fields the exception carries (e.g. {@code Allow}), a short text body with the reason
 * phrase (or the exception's own body), and {@code Connection: close}, since the
 * connection closes after it.
 */
final class ErrorAnswer {

	private ErrorAnswer() {
	}

	static ByteBuffer of(HttpException ex) {
		String phrase = Status.reason(ex.status());
		byte[] text = (ex.body() != null) ? ex.body() : (phrase + "\n").getBytes(StandardCharsets.US_ASCII);
		String type = (ex.body() != null) ? ex.bodyType() : "text/plain";
		AsciiBuilder out = new AsciiBuilder(200 + text.length);
		out.append("HTTP/1.1 ").append(ex.status()).append(" ").append(phrase).crlf();
		out.append(HttpDate.line());
		List<String> headers = ex.headers();
		for (int i = 0; i < headers.size(); i += 2) {
			out.append(headers.get(i)).append(": ").append(headers.get(i + 1)).crlf();
		}
		out.append("Content-Type: ").append(type).crlf();
		out.append("Content-Length: ").append(text.length).crlf();
		out.append("Connection: close").crlf().crlf();
		return out.append(text).toBuffer();
	}

}
