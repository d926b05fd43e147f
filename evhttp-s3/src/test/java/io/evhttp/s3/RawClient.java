package io.evhttp.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Requests over a plain socket: the bytes on the wire are exactly the test's. */
final class RawClient {

	static final String BOUNDARY = "xYzZY-boundary";

	private RawClient() {
	}

	/** A status and a body. */
	record Answer(int status, String head, String body) {

		List<String> lines() {
			return this.body.isEmpty() ? List.of() : List.of(this.body.split("\n"));
		}

	}

	/** A file part of a multipart body. */
	record Part(String field, String filename, byte[] bytes) {

	}

	static byte[] multipart(Part... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (Part part : parts) {
			out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + part.field()
					+ "\"; filename=\"" + part.filename() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.writeBytes(part.bytes());
			out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		return out.toByteArray();
	}

	static Answer postMultipart(int port, String target, byte[] body) throws IOException {
		return send(port,
				"POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary="
						+ BOUNDARY + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n",
				body, false);
	}

	static Answer postChunked(int port, String target, String contentType, byte[] body) throws IOException {
		return send(port, "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
				+ "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n", body, true);
	}

	static Answer put(int port, String target, String extraHeaders, byte[] body) throws IOException {
		return send(port,
				"PUT " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
						+ extraHeaders + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n",
				body, false);
	}

	/**
	 * Sends a head and the first {@code sent} bytes of a {@code declared}-byte body, then
	 * closes the connection.
	 */
	static void putAndVanish(int port, byte[] body, int sent) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			OutputStream out = socket.getOutputStream();
			out.write(
					("PUT /raw HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\nContent-Length: "
							+ body.length + "\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
			out.write(body, 0, sent);
			out.flush();
			socket.setSoLinger(true, 0);
		}
	}

	private static Answer send(int port, String head, byte[] body, boolean chunked) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(120_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			out.write(head.getBytes(StandardCharsets.US_ASCII));
			try {
				writeBody(out, body, chunked);
			}
			catch (IOException refusedMidBody) {
				// the server answered and closed before the whole body: read its answer
			}
			return read(in);
		}
	}

	private static void writeBody(OutputStream out, byte[] body, boolean chunked) throws IOException {
		int step = 1 << 20;
		for (int at = 0; at < body.length; at += step) {
			int n = Math.min(step, body.length - at);
			if (chunked) {
				out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			}
			out.write(body, at, n);
			if (chunked) {
				out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
			}
		}
		if (chunked) {
			out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		out.flush();
	}

	private static Answer read(InputStream in) throws IOException {
		byte[] all = in.readAllBytes();
		String text = new String(all, StandardCharsets.ISO_8859_1);
		int end = text.indexOf("\r\n\r\n");
		String head = (end < 0) ? text : text.substring(0, end);
		String body = (end < 0) ? "" : text.substring(end + 4);
		String[] statusLine = head.split(" ", 3);
		return new Answer(Integer.parseInt(statusLine[1]), head, body);
	}

}
