package io.evhttp.s3.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The client of {@code scripts/bench-resumable.sh}: one connection, bytes sent from a
 * cached payload file with {@code transferTo}, so the client costs little. Prints one
 * JSON line per measured run.
 *
 * <pre>
 * ResumableLoad tus       PORT BASE_PATH FILE SIZE PATCH_BYTES ROUNDS LABEL PIDS
 * ResumableLoad multipart PORT FILE SIZE ROUNDS LABEL PIDS
 * ResumableLoad requests  PORT BASE_PATH FILE FRONT_URL LABEL
 * ResumableLoad takeover  PORT_A PORT_B FILE LABEL [KILL_PID]
 * </pre>
 *
 * PIDS (comma-separated, first the server) are the processes whose CPU time (from
 * {@code /proc/PID/stat}) is charged to each upload; {@code PATCH_BYTES} 0 is one PATCH.
 * {@code requests} counts the S3 requests of each step of a 20 MiB upload through the
 * counting front; {@code takeover} measures how long a second node takes to get an upload
 * whose PATCH runs on the first, asked to stop, or killed with KILL_PID.
 */
public final class ResumableLoad {

	private static final double MB = 1e6;

	private static final long GIB = 1L << 30;

	private static final long MIB = 1L << 20;

	private ResumableLoad() {
	}

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "tus" -> tus(Integer.parseInt(args[1]), args[2], Path.of(args[3]), Long.parseLong(args[4]),
					Long.parseLong(args[5]), Integer.parseInt(args[6]), args[7], pids(args[8]));
			case "multipart" -> multipart(Integer.parseInt(args[1]), Path.of(args[2]), Long.parseLong(args[3]),
					Integer.parseInt(args[4]), args[5], pids(args[6]));
			case "requests" ->
				requests(Integer.parseInt(args[1]), args[2], Path.of(args[3]), URI.create(args[4]), args[5]);
			case "takeover" -> takeover(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]), args[4],
					(args.length > 5) ? Long.parseLong(args[5]) : -1);
			default -> throw new IllegalArgumentException(args[0]);
		}
	}

	// ---- throughput

	private static void tus(int port, String base, Path file, long size, long patch, int rounds, String label,
			long[] pids) throws IOException {
		for (int round = 0; round <= rounds; round++) { // round 0 warms up
			long[] cpu = cpuTicks(pids);
			long start = System.nanoTime();
			try (Connection c = new Connection(port)) {
				tusRound(c, base, file, size, patch, round, label, start, cpu, pids);
			}
			catch (IOException | RuntimeException ex) {
				System.out.println("{\"label\":\"" + label + "\",\"round\":" + round + ",\"error\":\""
						+ String.valueOf(ex.getMessage()).replaceAll("[\"\\\\\\s]+", " ").trim() + "\"}");
			}
		}
	}

	private static void tusRound(Connection c, String base, Path file, long size, long patch, int round, String label,
			long start, long[] cpu, long[] pids) throws IOException {
		Reply created = c.exchange("POST " + base + " HTTP/1.1\r\nTus-Resumable: 1.0.0\r\nUpload-Length: " + size
				+ "\r\nContent-Length: 0\r\n\r\n", null, 0, 0);
		check(created, 201);
		String path = URI.create(created.header("location")).getPath();
		long step = (patch > 0) ? patch : size;
		for (long offset = 0; offset < size; offset += step) {
			long n = Math.min(step, size - offset);
			Reply r = c.exchange(
					"PATCH " + path + " HTTP/1.1\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: " + offset
							+ "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: " + n + "\r\n\r\n",
					file, offset, n);
			check(r, 204);
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		if (round > 0) {
			result(label, round, size, seconds, cpu, pids);
		}
		c.exchange("DELETE " + path + " HTTP/1.1\r\nTus-Resumable: 1.0.0\r\nContent-Length: 0\r\n\r\n", null, 0, 0);
	}

	private static void multipart(int port, Path file, long size, int rounds, String label, long[] pids)
			throws IOException {
		String boundary = "----bench" + Long.toHexString(System.nanoTime());
		byte[] before = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		byte[] after = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
		for (int round = 0; round <= rounds; round++) {
			long[] cpu = cpuTicks(pids);
			long start = System.nanoTime();
			try (Connection c = new Connection(port)) {
				c.write(("POST /upload HTTP/1.1\r\nHost: bench\r\nContent-Type: multipart/form-data; boundary="
						+ boundary + "\r\nContent-Length: " + (before.length + size + after.length) + "\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				c.write(before);
				c.send(file, 0, size);
				c.write(after);
				check(c.read(), 200);
			}
			if (round > 0) {
				result(label, round, size, (System.nanoTime() - start) / 1e9, cpu, pids);
			}
		}
	}

	private static void result(String label, int round, long size, double seconds, long[] cpuBefore, long[] pids)
			throws IOException {
		long[] cpu = cpuTicks(pids);
		StringBuilder line = new StringBuilder(
				String.format(Locale.ROOT, "{\"label\":\"%s\",\"round\":%d,\"bytes\":%d,\"seconds\":%.3f,\"mbps\":%.1f",
						label, round, size, seconds, size / MB / seconds));
		for (int i = 0; i < pids.length; i++) {
			double perGib = (cpu[i] - cpuBefore[i]) / 100.0 / ((double) size / GIB);
			line.append(String.format(Locale.ROOT, ",\"cpu_s_per_gib_%d\":%.2f", i, perGib));
		}
		line.append(String.format(Locale.ROOT, ",\"peak_rss_mib\":%.1f}", peakRssKib(pids[0]) / 1024.0));
		System.out.println(line);
	}

	// ---- S3 requests per step

	private static void requests(int port, String base, Path file, URI front, String label) throws Exception {
		long length = 20 * MIB;
		Map<String, String> steps = new LinkedHashMap<>();
		try (Connection c = new Connection(port)) {
			counts(front, true);
			Reply created = c.exchange("POST " + base + " HTTP/1.1\r\nTus-Resumable: 1.0.0\r\nUpload-Length: " + length
					+ "\r\nContent-Length: 0\r\n\r\n", null, 0, 0);
			check(created, 201);
			steps.put("create (POST)", settledCounts(front));
			String path = URI.create(created.header("location")).getPath();
			long[][] patches = { { 0, 8 * MIB }, { 8 * MIB, 8 * MIB }, { 16 * MIB, MIB }, { 17 * MIB, 3 * MIB } };
			String[] names = { "PATCH 8 MiB, first", "PATCH 8 MiB, next", "PATCH 1 MiB (tail only)",
					"PATCH 3 MiB, completing" };
			for (int i = 0; i < patches.length; i++) {
				if (i == 1) {
					check(c.exchange("HEAD " + path + " HTTP/1.1\r\nTus-Resumable: 1.0.0\r\n\r\n", null, 0, 0), 200);
					steps.put("HEAD, in progress", settledCounts(front));
				}
				check(c.exchange("PATCH " + path + " HTTP/1.1\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: "
						+ patches[i][0] + "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: "
						+ patches[i][1] + "\r\n\r\n", file, patches[i][0], patches[i][1]), 204);
				steps.put(names[i], settledCounts(front));
			}
			check(c.exchange("HEAD " + path + " HTTP/1.1\r\nTus-Resumable: 1.0.0\r\n\r\n", null, 0, 0), 200);
			steps.put("HEAD, complete", settledCounts(front));
		}
		steps.forEach((step, counts) -> System.out
			.println("{\"label\":\"" + label + "\",\"step\":\"" + step + "\",\"counts\":" + counts + "}"));
	}

	/**
	 * The counts since the last call, once no request came in for 400 ms (a release may
	 * follow).
	 */
	private static String settledCounts(URI front) throws Exception {
		String last = counts(front, false);
		while (true) {
			Thread.sleep(400);
			String now = counts(front, false);
			if (now.equals(last)) {
				return counts(front, true);
			}
			last = now;
		}
	}

	private static String counts(URI front, boolean reset) throws IOException {
		try (Connection c = new Connection(front.getPort())) {
			Reply r = c.exchange("GET /__counts" + (reset ? "?reset" : "") + " HTTP/1.1\r\n\r\n", null, 0, 0);
			return new String(r.body(), StandardCharsets.US_ASCII);
		}
	}

	// ---- lease takeover

	private static void takeover(int portA, int portB, Path file, String label, long killPid) throws Exception {
		long size = GIB;
		String path;
		try (Connection c = new Connection(portA)) {
			Reply created = c.exchange("POST /resumable/ HTTP/1.1\r\nTus-Resumable: 1.0.0\r\nUpload-Length: " + size
					+ "\r\nContent-Length: 0\r\n\r\n", null, 0, 0);
			check(created, 201);
			path = URI.create(created.header("location")).getPath();
		}
		Connection holder = new Connection(portA);
		holder.write(("PATCH " + path + " HTTP/1.1\r\nHost: bench\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
				+ "Content-Type: application/offset+octet-stream\r\nContent-Length: " + size + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		Thread sender = new Thread(() -> trickle(holder, file, size), "holder");
		sender.setDaemon(true);
		sender.start();
		Thread.sleep(2000); // the holder streams: at 32 MiB/s, 64 MiB by now
		long start = System.nanoTime();
		if (killPid > 0) {
			ProcessHandle.of(killPid).orElseThrow().destroyForcibly(); // SIGKILL
		}
		int attempts = 0;
		Reply got;
		do {
			attempts++;
			try (Connection c = new Connection(portB)) {
				got = c.exchange(
						"PATCH " + path + " HTTP/1.1\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
								+ "Content-Type: application/offset+octet-stream\r\nContent-Length: 0\r\n\r\n",
						null, 0, 0);
			}
		}
		while (got.status() == 423 && attempts < 100);
		double ms = (System.nanoTime() - start) / 1e6;
		String offset;
		try (Connection c = new Connection(portB)) {
			offset = c.exchange("HEAD " + path + " HTTP/1.1\r\nTus-Resumable: 1.0.0\r\n\r\n", null, 0, 0)
				.header("upload-offset");
			c.exchange("DELETE " + path + " HTTP/1.1\r\nTus-Resumable: 1.0.0\r\nContent-Length: 0\r\n\r\n", null, 0, 0);
		}
		holder.close();
		System.out.println(String.format(Locale.ROOT,
				"{\"label\":\"%s\",\"holder\":\"%s\",\"takeover_ms\":%.0f,\"status\":%d,\"attempts\":%d,"
						+ "\"offset_after\":%s}",
				label, (killPid > 0) ? "killed" : "alive", ms, got.status(), attempts, offset));
	}

	/** Sends at about 32 MiB/s until the server stops reading or closes. */
	private static void trickle(Connection c, Path file, long size) {
		long start = System.nanoTime();
		try {
			for (long sent = 0; sent < size; sent += MIB) {
				long due = start + (sent / MIB) * 1_000_000_000L / 32;
				long wait = due - System.nanoTime();
				if (wait > 0) {
					Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
				}
				c.send(file, sent, MIB);
			}
		}
		catch (IOException | InterruptedException ex) {
			// the server let go of the request
		}
	}

	// ---- plumbing

	private static void check(Reply reply, int status) {
		if (reply.status() != status) {
			throw new IllegalStateException("expected " + status + ", got " + reply.status() + " "
					+ new String(reply.body(), StandardCharsets.UTF_8));
		}
	}

	private static long[] pids(String list) {
		return java.util.Arrays.stream(list.split(",")).mapToLong(Long::parseLong).toArray();
	}

	/** utime + stime of each process, in clock ticks (100 per second on Linux). */
	private static long[] cpuTicks(long[] pids) throws IOException {
		long[] ticks = new long[pids.length];
		for (int i = 0; i < pids.length; i++) {
			String stat = Files.readString(Path.of("/proc/" + pids[i] + "/stat"));
			String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			ticks[i] = Long.parseLong(f[11]) + Long.parseLong(f[12]);
		}
		return ticks;
	}

	private static long peakRssKib(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
			if (line.startsWith("VmHWM:")) {
				return Long.parseLong(line.substring(6).trim().split(" ")[0]);
			}
		}
		return -1;
	}

	record Reply(int status, Map<String, String> headers, byte[] body) {

		String header(String name) {
			return this.headers.get(name);
		}

	}

	/** One keep-alive connection: heads as text, bodies from the payload file. */
	static final class Connection implements AutoCloseable {

		private final SocketChannel channel;

		private final InputStream in;

		Connection(int port) throws IOException {
			this.channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
			this.in = new BufferedInputStream(Channels.newInputStream(this.channel), 16 * 1024);
		}

		Reply exchange(String head, Path file, long offset, long length) throws IOException {
			write(head.replaceFirst("\r\n", "\r\nHost: bench\r\n").getBytes(StandardCharsets.US_ASCII));
			if (file != null) {
				try {
					send(file, offset, length);
				}
				catch (IOException ex) { // the server answered early, and closed
					Reply early = read(false);
					throw new IOException("answered " + early.status() + " mid-body: "
							+ new String(early.body(), StandardCharsets.UTF_8), ex);
				}
			}
			return read(head.startsWith("HEAD "));
		}

		void write(byte[] bytes) throws IOException {
			ByteBuffer buffer = ByteBuffer.wrap(bytes);
			while (buffer.hasRemaining()) {
				this.channel.write(buffer);
			}
		}

		void send(Path file, long offset, long length) throws IOException {
			try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
				for (long done = 0; done < length;) {
					done += f.transferTo(offset + done, length - done, this.channel);
				}
			}
		}

		Reply read() throws IOException {
			return read(false);
		}

		/** A final response; interim ones are skipped. */
		Reply read(boolean head) throws IOException {
			while (true) {
				List<String> lines = new ArrayList<>();
				ByteArrayOutputStream line = new ByteArrayOutputStream();
				for (int b; (b = this.in.read()) >= 0;) {
					if (b == '\n') {
						String text = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
						if (text.isEmpty()) {
							break;
						}
						lines.add(text);
						line.reset();
					}
					else {
						line.write(b);
					}
				}
				if (lines.isEmpty()) {
					throw new IOException("connection closed before a response");
				}
				int status = Integer.parseInt(lines.get(0).substring(9, 12));
				Map<String, String> headers = new LinkedHashMap<>();
				for (String h : lines.subList(1, lines.size())) {
					int colon = h.indexOf(':');
					headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
				}
				if (status < 200) {
					continue;
				}
				String length = headers.get("content-length");
				byte[] body;
				if (head || status == 204 || status == 304) {
					body = new byte[0];
				}
				else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
					body = readChunked();
				}
				else {
					body = (length == null) ? new byte[0] : this.in.readNBytes(Integer.parseInt(length));
				}
				return new Reply(status, headers, body);
			}
		}

		private byte[] readChunked() throws IOException {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			while (true) {
				int size = Integer.parseInt(line().split(";")[0].trim(), 16);
				if (size == 0) {
					while (!line().isEmpty()) {
						// trailer fields
					}
					return body.toByteArray();
				}
				body.write(this.in.readNBytes(size));
				line();
			}
		}

		private String line() throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			for (int b; (b = this.in.read()) != '\n';) {
				if (b < 0) {
					throw new IOException("closed in a chunked body");
				}
				line.write(b);
			}
			return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
		}

		@Override
		public void close() throws IOException {
			this.channel.close();
		}

	}

}
