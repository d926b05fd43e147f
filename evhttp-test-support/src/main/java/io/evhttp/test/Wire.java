package io.evhttp.test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A test client over a plain socket: writes raw requests, reads responses strictly. */
public final class Wire implements AutoCloseable {

	/** One response, interim or final: status, headers by lower-case name, body. */
	public record Reply(int status, Map<String, String> headers, byte[] body) {

		public String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		public String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	public Wire(int port) throws IOException {
		this.socket = new Socket("127.0.0.1", port);
		this.socket.setSoTimeout(10_000);
		this.in = new BufferedInputStream(this.socket.getInputStream());
		this.out = this.socket.getOutputStream();
	}

	/** Sends a head (lines joined with CRLF, blank line added) and an optional body. */
	public Wire send(String head, byte[] body) throws IOException {
		this.out.write((head.replace("\n", "\r\n") + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
		if (body != null) {
			this.out.write(body);
		}
		this.out.flush();
		return this;
	}

	public Wire sendBytes(byte[] bytes, int from, int to) throws IOException {
		this.out.write(bytes, from, to - from);
		this.out.flush();
		return this;
	}

	/** Reads the next response, interim ones included. */
	public Reply read() throws IOException {
		return read(false);
	}

	/** Reads the next final response, skipping interim ones. */
	public Reply readFinal(boolean head) throws IOException {
		Reply r;
		do {
			r = read(head);
		}
		while (r.status() < 200);
		return r;
	}

	public Reply read(boolean head) throws IOException {
		String statusLine = line();
		if (statusLine == null) {
			throw new IOException("connection closed before a response");
		}
		int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		String line;
		while (!(line = line()).isEmpty()) {
			int colon = line.indexOf(':');
			headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
					(a, b) -> a + ", " + b);
		}
		byte[] body = new byte[0];
		String length = headers.get("content-length");
		if (status >= 200 && !head && status != 204 && length != null) {
			body = this.in.readNBytes(Integer.parseInt(length));
		}
		return new Reply(status, headers, body);
	}

	/** Whether the server closed the connection (reads EOF). */
	public boolean closedByServer() throws IOException {
		try {
			return this.in.read() < 0;
		}
		catch (IOException ex) {
			return true;
		}
	}

	private String line() throws IOException {
		ByteArrayOutputStream b = new ByteArrayOutputStream();
		int c;
		while ((c = this.in.read()) >= 0) {
			if (c == '\n') {
				String s = b.toString(StandardCharsets.ISO_8859_1);
				return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
			}
			b.write(c);
		}
		return (b.size() == 0) ? null : b.toString(StandardCharsets.ISO_8859_1);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
