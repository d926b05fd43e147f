import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@code many} scenario of scripts/bench-tls.sh over HTTPS (or HTTP): CONNS keep-alive
 * connections each POST a multipart file of SIZE bytes to /upload in a loop, for WARMUP
 * seconds not counted and then SECONDS counted; every answer must be 200 and name the
 * file's size. The server's certificate is trusted from a PEM file.
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
		URI url = URI.create(args[0] + "/upload");
		String caCert = args[1];
		int conns = Integer.parseInt(args[2]);
		int size = Integer.parseInt(args[3]);
		double seconds = Double.parseDouble(args[4]);
		double warmup = Double.parseDouble(args[5]);
		Path stat = Path.of("/proc", args[6], "stat");
		double tick = Double.parseDouble(args[7]);

		HttpClient.Builder builder = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10));
		if (!caCert.equals("-")) {
			builder.sslContext(trusting(Path.of(caCert)));
		}
		HttpClient client = builder.build();
		byte[] body = multipart(size);
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
					HttpRequest request = HttpRequest.newBuilder(url)
						.header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
						.timeout(Duration.ofSeconds(60))
						.POST(HttpRequest.BodyPublishers.ofByteArray(body))
						.build();
					while (System.nanoTime() < end) {
						long sent = System.nanoTime();
						try {
							HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
							if (response.statusCode() != 200 || !response.body().contains(expected)) {
								errors.incrementAndGet();
							}
							else if (sent >= measureFrom && System.nanoTime() <= end) {
								counted.incrementAndGet();
							}
						}
						catch (java.io.IOException ex) {
							errors.incrementAndGet();
						}
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
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
		System.out.printf(Locale.ROOT, "many: %d connections, %d B files: %d requests in %.1f s, %.1f req/s, %.1f MB/s,"
				+ " %d errors, server CPU %.2f s%n", conns, size, requests, seconds, requests / seconds,
				requests * (double) size / 1e6 / seconds, errors.get(), cpu);
		System.out.printf(Locale.ROOT, "%d %.3f %d %.3f%n", requests, seconds, errors.get(), cpu);
		System.exit(errors.get() == 0 ? 0 : 1);
	}

	private static void sleepUntil(long nanoTime) throws InterruptedException {
		long left;
		while ((left = nanoTime - System.nanoTime()) > 0) {
			Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
		}
	}

	/** utime + stime of the process whose {@code stat} this is. */
	private static long cpuTicks(Path stat) throws java.io.IOException {
		String line = Files.readString(stat);
		String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15
	}

	private static byte[] multipart(int size) {
		byte[] file = new byte[size];
		new Random(42).nextBytes(file);
		ByteArrayOutputStream out = new ByteArrayOutputStream(size + 256);
		out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		out.writeBytes(file);
		out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		return out.toByteArray();
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
