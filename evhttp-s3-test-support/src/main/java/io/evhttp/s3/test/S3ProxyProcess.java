package io.evhttp.s3.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of S3Proxy in a forked JVM: fork, wait until it answers, end it. Its output is
 * appended to a log file, of which a failed start reports the part it wrote.
 */
final class S3ProxyProcess {

	private static final Duration POLL_INTERVAL = Duration.ofMillis(25);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

	private static final int LOG_TAIL_BYTES = 8192;

	private final Process process;

	private final Path log;

	private final long logOffset;

	private final long forkedAt;

	private S3ProxyProcess(Process process, Path log, long logOffset, long forkedAt) {
		this.process = process;
		this.log = log;
		this.logOffset = logOffset;
		this.forkedAt = forkedAt;
	}

	/**
	 * Forks
	 * {@code java -cp <S3Proxy jar>:<this module> ForkedS3Proxy --properties <file>}.
	 * <p>
	 * JVM options: C1 only ({@code TieredStopAtLevel=1}) starts S3Proxy sooner and more
	 * evenly (1.4 to 1.9 s against 1.6 to 3.7 s on a shared 2-core machine) for some peak
	 * throughput (a 64 MiB put at 26 to 53 MB/s against 31 to 83), the better trade for
	 * tests that restart it; serial GC and a bounded heap keep the extra JVM small.
	 */
	static S3ProxyProcess fork(Path jar, Path properties, Path workDirectory, Path log) {
		List<String> command = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
				"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
				// logback would otherwise print its configuration steps, warning of an
				// unused appender
				"-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener", "-cp",
				jar + File.pathSeparator + S3ProxyDistribution.launcherClasspath(), ForkedS3Proxy.class.getName(),
				"--properties", properties.toString());
		ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		// read by S3Proxy's logback.xml: warnings and errors are enough to explain a
		// failure
		builder.environment().put("LOG_LEVEL", "warn");
		builder.environment().put("JETTY_LOG_LEVEL", "warn");
		long logOffset = size(log);
		long forkedAt = System.nanoTime();
		try {
			return new S3ProxyProcess(builder.start(), log, logOffset, forkedAt);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not fork the S3Proxy JVM", ex);
		}
	}

	/**
	 * Polls the endpoint until it answers HTTP, the process exits or the timeout passes;
	 * in the last two cases the process is ended and the exception carries the log's
	 * tail.
	 * @return the time from fork to the first answer
	 * @throws PortTakenException if S3Proxy exited because it could not bind its port
	 */
	Duration awaitAnswer(URI endpoint, Duration timeout) {
		long deadline = this.forkedAt + timeout.toNanos();
		while (System.nanoTime() - deadline < 0) {
			if (!this.process.isAlive()) {
				String log = logTail();
				String message = "S3Proxy exited with status " + this.process.exitValue() + " before answering on "
						+ endpoint + "; its log:\n" + log;
				if (log.contains("Failed to bind") || log.contains("Address already in use")) {
					throw new PortTakenException(message);
				}
				throw new IllegalStateException(message);
			}
			if (answers(endpoint)) {
				return Duration.ofNanos(System.nanoTime() - this.forkedAt);
			}
			sleep(POLL_INTERVAL);
		}
		end(true);
		throw new IllegalStateException(
				"S3Proxy did not answer on " + endpoint + " within " + timeout + "; its log:\n" + logTail());
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Ends the process and any children and waits for it: SIGKILL if {@code forcibly},
	 * else SIGTERM (S3Proxy's shutdown hook drains Jetty) with SIGKILL after a bounded
	 * wait.
	 */
	void end(boolean forcibly) {
		List<ProcessHandle> descendants = this.process.descendants().toList();
		if (forcibly) {
			descendants.forEach(ProcessHandle::destroyForcibly);
			this.process.destroyForcibly();
		}
		else {
			this.process.destroy();
		}
		try {
			if (!this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		descendants.forEach(ProcessHandle::destroyForcibly);
	}

	private static boolean answers(URI endpoint) {
		try {
			HttpURLConnection connection = (HttpURLConnection) endpoint.toURL().openConnection();
			connection.setConnectTimeout(1000);
			connection.setReadTimeout(2000);
			try {
				// any status will do (unsigned requests get 403): Jetty and S3Proxy's
				// handler are up
				return connection.getResponseCode() > 0;
			}
			finally {
				connection.disconnect();
			}
		}
		catch (IOException ex) {
			return false;
		}
	}

	private String logTail() {
		try (InputStream in = Files.newInputStream(this.log)) {
			in.skipNBytes(this.logOffset);
			byte[] bytes = in.readAllBytes();
			int from = Math.max(0, bytes.length - LOG_TAIL_BYTES);
			return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(log unreadable: " + ex + ")";
		}
	}

	private static long size(Path file) {
		try {
			return Files.exists(file) ? Files.size(file) : 0;
		}
		catch (IOException ex) {
			return 0;
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for S3Proxy", ex);
		}
	}

	/**
	 * S3Proxy could not bind its port: another process took it.
	 */
	static final class PortTakenException extends RuntimeException {

		PortTakenException(String message) {
			super(message);
		}

	}

}
