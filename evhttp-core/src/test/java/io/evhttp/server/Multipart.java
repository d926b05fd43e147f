package io.evhttp.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds multipart/form-data bodies for tests. */
final class Multipart {

	static final String BOUNDARY = "evhttpTestBoundary1234";

	private final ByteArrayOutputStream body = new ByteArrayOutputStream();

	Multipart field(String name, String value) {
		text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
		this.body.writeBytes(value.getBytes(StandardCharsets.UTF_8));
		text("\r\n");
		return this;
	}

	Multipart file(String name, String filename, String contentType, byte[] data) {
		text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
				+ "\"\r\n");
		if (contentType != null) {
			text("Content-Type: " + contentType + "\r\n");
		}
		text("\r\n");
		this.body.writeBytes(data);
		text("\r\n");
		return this;
	}

	byte[] build() {
		ByteArrayOutputStream copy = new ByteArrayOutputStream();
		copy.writeBytes(this.body.toByteArray());
		copy.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		return copy.toByteArray();
	}

	static String contentType() {
		return "multipart/form-data; boundary=" + BOUNDARY;
	}

	/** A POST request head plus body with Content-Length. */
	static byte[] request(String target, byte[] body, String extraHeaders) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(
				("POST " + target + " HTTP/1.1\r\nHost: test\r\nContent-Type: " + contentType() + "\r\nContent-Length: "
						+ body.length + "\r\n" + extraHeaders + "\r\n")
					.getBytes(StandardCharsets.US_ASCII));
		out.writeBytes(body);
		return out.toByteArray();
	}

	private void text(String s) {
		this.body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
	}

}
