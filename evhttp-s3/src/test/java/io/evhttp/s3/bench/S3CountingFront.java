package io.evhttp.s3.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP front between the servers under test and S3Proxy that counts each S3 request by
 * its operation (GetObject, PutObject, UploadPart...), whoever sends it: evhttp's stores
 * and {@code @tus/s3-store} alike. Bytes pass through unchanged; only request heads are
 * read on the way, to name the operation and find where the next one starts.
 *
 * <pre>
 * S3CountingFront PORT TARGET_PORT
 * </pre>
 *
 * {@code GET /__counts} on the front answers the counts as JSON without going to S3;
 * {@code GET /__counts?reset} answers them and starts again from zero.
 */
public final class S3CountingFront {

	private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

	private final int target;

	private S3CountingFront(int target) {
		this.target = target;
	}

	public static void main(String[] args) throws IOException {
		S3CountingFront front = new S3CountingFront(Integer.parseInt(args[1]));
		try (ServerSocket listener = new ServerSocket()) {
			listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 512);
			System.out.println("READY " + ProcessHandle.current().pid());
			while (true) {
				Socket client = listener.accept();
				start(() -> front.serve(client));
			}
		}
	}

	private void serve(Socket client) {
		try (client; Socket upstream = new Socket()) {
			InputStream in = new BufferedInputStream(client.getInputStream(), 64 * 1024);
			byte[] head = readHead(in);
			if (head == null) {
				return;
			}
			if (new String(head, StandardCharsets.ISO_8859_1).startsWith("GET /__counts")) {
				answerCounts(client, new String(head, StandardCharsets.ISO_8859_1).startsWith("GET /__counts?reset"));
				return;
			}
			upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.target));
			start(() -> pipe(upstream, client));
			OutputStream out = new BufferedOutputStream(upstream.getOutputStream(), 64 * 1024);
			while (head != null) {
				out.write(head);
				out.flush(); // a client may wait for 100 (Continue) before its body
				copyBody(new String(head, StandardCharsets.ISO_8859_1), in, out);
				out.flush();
				head = readHead(in);
			}
			upstream.shutdownOutput();
			upstream.getInputStream().transferTo(OutputStream.nullOutputStream());
		}
		catch (IOException ex) {
			// either side went away
		}
	}

	/** Counts the request and forwards its body, by length or chunked. */
	private void copyBody(String head, InputStream in, OutputStream out) throws IOException {
		String[] lines = head.split("\r\n");
		String[] start = lines[0].split(" ");
		long length = 0;
		boolean chunked = false;
		boolean copy = false;
		for (int i = 1; i < lines.length; i++) {
			String line = lines[i].toLowerCase(Locale.ROOT);
			if (line.startsWith("content-length:")) {
				length = Long.parseLong(line.substring(15).trim());
			}
			else if (line.startsWith("transfer-encoding:") && line.contains("chunked")) {
				chunked = true;
			}
			else if (line.startsWith("x-amz-copy-source:")) {
				copy = true;
			}
		}
		this.counts.computeIfAbsent(operation(start[0], start[1], copy), (k) -> new LongAdder()).increment();
		if (chunked) {
			copyChunked(in, out);
		}
		else {
			copy(in, out, length);
		}
	}

	/** The S3 operation a request is, from its method, target and copy source. */
	static String operation(String method, String target, boolean copySource) {
		int q = target.indexOf('?');
		String path = (q < 0) ? target : target.substring(0, q);
		String query = (q < 0) ? "" : "&" + target.substring(q + 1);
		boolean bucketOnly = path.indexOf('/', 1) < 0 || path.indexOf('/', 1) == path.length() - 1;
		if (query.contains("&uploadId=")) {
			return switch (method) {
				case "PUT" -> copySource ? "UploadPartCopy" : "UploadPart";
				case "POST" -> "CompleteMultipartUpload";
				case "DELETE" -> "AbortMultipartUpload";
				default -> "ListParts";
			};
		}
		if (query.contains("&uploads")) {
			return method.equals("POST") ? "CreateMultipartUpload" : "ListMultipartUploads";
		}
		return switch (method) {
			case "PUT" -> bucketOnly ? "CreateBucket" : copySource ? "CopyObject" : "PutObject";
			case "GET" -> bucketOnly ? "ListObjects" : "GetObject";
			case "HEAD" -> bucketOnly ? "HeadBucket" : "HeadObject";
			case "DELETE" -> bucketOnly ? "DeleteBucket" : "DeleteObject";
			case "POST" -> query.contains("&delete") ? "DeleteObjects" : "PostObject";
			default -> method;
		};
	}

	private void answerCounts(Socket client, boolean reset) throws IOException {
		Map<String, Long> snapshot = new TreeMap<>();
		this.counts.forEach((name, n) -> {
			long sum = reset ? n.sumThenReset() : n.sum();
			if (sum > 0) {
				snapshot.put(name, sum);
			}
		});
		StringBuilder json = new StringBuilder("{");
		snapshot.forEach((name,
				n) -> json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":").append(n));
		byte[] body = json.append('}').toString().getBytes(StandardCharsets.US_ASCII);
		OutputStream out = client.getOutputStream();
		out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
				+ "\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.write(body);
		out.flush();
	}

	/** A request head up to its blank line, or {@code null} at the end of the stream. */
	private static byte[] readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream(512);
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				return null;
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r') ? 1 : 0;
		}
		return head.toByteArray();
	}

	private static void copyChunked(InputStream in, OutputStream out) throws IOException {
		while (true) {
			String line = readLine(in, out);
			int semi = line.indexOf(';');
			long size = Long.parseLong(((semi < 0) ? line : line.substring(0, semi)).trim(), 16);
			if (size == 0) {
				while (!readLine(in, out).isEmpty()) {
					// trailer fields
				}
				return;
			}
			copy(in, out, size);
			readLine(in, out);
		}
	}

	/** One line, forwarded; returned without its CRLF. */
	private static String readLine(InputStream in, OutputStream out) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int b; (b = in.read()) != '\n';) {
			if (b < 0) {
				throw new IOException("closed in a chunked body");
			}
			out.write(b);
			if (b != '\r') {
				line.append((char) b);
			}
		}
		out.write('\n');
		return line.toString();
	}

	private static void copy(InputStream in, OutputStream out, long length) throws IOException {
		byte[] buffer = new byte[64 * 1024];
		for (long left = length; left > 0;) {
			int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
			if (n < 0) {
				throw new IOException("closed in a body");
			}
			out.write(buffer, 0, n);
			left -= n;
		}
	}

	private static void pipe(Socket from, Socket to) {
		try {
			from.getInputStream().transferTo(to.getOutputStream());
		}
		catch (IOException ex) {
			// either side closed
		}
		finally {
			try {
				to.shutdownOutput();
			}
			catch (IOException ex) {
				// already closed
			}
		}
	}

	private static void start(Runnable task) {
		Thread t = new Thread(task, "counting-front");
		t.setDaemon(true);
		t.start();
	}

}
