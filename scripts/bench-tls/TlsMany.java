import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@code many} scenario of scripts/bench-tls.sh over HTTPS (or HTTP): CONNS keep-alive
 * connections each POST a multipart file of SIZE bytes to /upload in a loop, for WARMUP
 * seconds not counted and then SECONDS counted (the requests answered within them).
 * Every answer must be 200 and name the file's size. One thread and one blocking
 * {@code SSLSocket} per connection, the request's bytes made once: the client encrypts
 * on all cores and allocates nothing per request but the answer.
 *
 * <p>
 * Usage: {@code java TlsMany.java URL CACERT.pem|- CONNS SIZE SECONDS WARMUP PID CLK_TCK}.
 * The server's CPU time (utime + stime of {@code /proc/PID/stat}) is read when the counted
 * window opens and when it closes. Prints one human line, then
 * {@code requests seconds errors cpu_seconds} on the last line for the script.
 */
public final class TlsMany {

	private static final String BOUNDARY = "----tlsbench7MA4YWxkTrZu0gW";

	public static void main(String[] args) throws Exception {
		URI url = URI.create(args[0]);
		String caCert = args[1];
		int conns = Integer.parseInt(args[2]);
		int size = Integer.parseInt(args[3]);
		double seconds = Double.parseDouble(args[4]);
		double warmup = Double.parseDouble(args[5]);
		Path stat = Path.of("/proc", args[6], "stat");
		double tick = Double.parseDouble(args[7]);

		SSLContext tls = url.getScheme().equals("https") ? trusting(Path.of(caCert)) : null;
		byte[] request = request(size, url.getPort());
		String expected = "\"size\":" + size;

		long start = System.nanoTime();
		long measureFrom = start + (long) (warmup * 1e9);
		long end = measureFrom + (long) (seconds * 1e9);
		AtomicLong counted = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		CountDownLatch done = new CountDownLatch(conns);
		for (int i = 0; i < conns; i++) {
			Thread worker = new Thread(() -> {
				try {
					Socket socket = null;
					while (System.nanoTime() < end) {
						try {
							if (socket == null) {
								socket = connect(tls, url.getPort());
							}
							socket.getOutputStream().write(request);
							String answer = readAnswer(socket.getInputStream());
							long now = System.nanoTime();
							if (!answer.startsWith("HTTP/1.1 200") || !answer.contains(expected)) {
								errors.incrementAndGet();
								socket.close();
								socket = null;
							}
							else if (now >= measureFrom && now <= end) {
								counted.incrementAndGet();
							}
						}
						catch (IOException ex) {
							errors.incrementAndGet();
							socket = null;
						}
					}
					if (socket != null) {
						socket.close();
					}
				}
				catch (IOException ex) {
					// closing
				}
				finally {
					done.countDown();
				}
			});
			worker.setDaemon(true);
			worker.start();
		}
		sleepUntil(measureFrom);
		long cpu0 = cpuTicks(stat);
		sleepUntil(end);
		long cpu1 = cpuTicks(stat);
		double cpu = (cpu1 - cpu0) / tick;
		done.await();
		long requests = counted.get();
		System.out.printf(Locale.ROOT,
				"many: %d connections, %d B files: %d requests in %.1f s, %.1f req/s, %.1f MB/s, %d errors,"
						+ " server CPU %.2f s%n",
				conns, size, requests, seconds, requests / seconds, requests * (double) size / 1e6 / seconds,
				errors.get(), cpu);
		System.out.printf(Locale.ROOT, "%d %.3f %d %.3f%n", requests, seconds, errors.get(), cpu);
		System.exit(errors.get() == 0 ? 0 : 1);
	}

	private static Socket connect(SSLContext tls, int port) throws IOException {
		Socket socket = (tls != null) ? tls.getSocketFactory().createSocket("127.0.0.1", port)
				: new Socket("127.0.0.1", port);
		socket.setTcpNoDelay(true);
		socket.setSoTimeout(60_000);
		return socket;
	}

	/** Reads one answer: its head, then a Content-Length or chunked body. */
	private static String readAnswer(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream(256);
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("closed mid-answer");
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r') ? 1 : 0;
		}
		String text = head.toString(StandardCharsets.ISO_8859_1);
		String lower = text.toLowerCase(Locale.ROOT);
		ByteArrayOutputStream body = new ByteArrayOutputStream(256);
		int at = lower.indexOf("\r\ncontent-length:");
		if (at >= 0) {
			int eol = lower.indexOf('\r', at + 2);
			body.write(in.readNBytes(Integer.parseInt(lower.substring(at + 17, eol).trim())));
		}
		else if (lower.contains("\r\ntransfer-encoding: chunked")) {
			while (true) {
				int length = Integer.parseInt(line(in).split(";")[0].trim(), 16);
				if (length == 0) {
					line(in);
					break;
				}
				body.write(in.readNBytes(length));
				line(in);
			}
		}
		return text + body.toString(StandardCharsets.UTF_8);
	}

	private static String line(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int b;
		while ((b = in.read()) != '\n') {
			if (b < 0) {
				throw new IOException("closed mid-answer");
			}
			if (b != '\r') {
				line.append((char) b);
			}
		}
		return line.toString();
	}

	private static void sleepUntil(long nanoTime) throws InterruptedException {
		long left;
		while ((left = nanoTime - System.nanoTime()) > 0) {
			Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
		}
	}

	/** utime + stime of the process whose {@code stat} this is. */
	private static long cpuTicks(Path stat) throws IOException {
		String line = Files.readString(stat);
		String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15
	}

	private static byte[] request(int size, int port) {
		byte[] file = new byte[size];
		new Random(42).nextBytes(file);
		ByteArrayOutputStream part = new ByteArrayOutputStream(size + 256);
		part.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		part.writeBytes(file);
		part.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		ByteArrayOutputStream request = new ByteArrayOutputStream(part.size() + 256);
		request.writeBytes(("POST /upload HTTP/1.1\r\nHost: 127.0.0.1:" + port
				+ "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: " + part.size()
				+ "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		request.writeBytes(part.toByteArray());
		return request.toByteArray();
	}

	private static SSLContext trusting(Path pem) throws Exception {
		KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
		trusted.load(null, null);
		try (InputStream in = Files.newInputStream(pem)) {
			trusted.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		tmf.init(trusted);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, tmf.getTrustManagers(), null);
		return context;
	}

}
