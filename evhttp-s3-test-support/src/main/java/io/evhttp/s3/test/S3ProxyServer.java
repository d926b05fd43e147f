package io.evhttp.s3.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * A real S3-compatible server for tests:
 * <a href="https://github.com/gaul/s3proxy">S3Proxy</a> with its {@code filesystem}
 * backend, run in a forked JVM on a loopback port.
 * <p>
 * The fork keeps S3Proxy's own classpath (Jetty, logback, cloud SDKs) away from the
 * test's. Its data lives in a temporary directory owned by this object, so the server can
 * be {@linkplain #stop() stopped} or {@linkplain #kill() killed} in the middle of a test
 * and {@linkplain #start() started} again on the same port with the same buckets, objects
 * and incomplete multipart uploads. {@link #close()} stops it and deletes the data.
 * <p>
 * Requests must be signed (AWS signature v2 or v4) with {@link #ACCESS_KEY} and
 * {@link #SECRET_KEY}; {@link #newClient()} returns an {@link S3Client} set up for that.
 * The forked JVM ends by itself when the JVM that started it dies (it watches its
 * standard input), so an aborted test run leaves no server behind. Its output goes to
 * {@link #logFile()}.
 * <p>
 * Not thread-safe: meant to be driven by one test at a time.
 *
 * @see S3ProxyExtension
 */
public final class S3ProxyServer implements AutoCloseable {

	/** Access key id the server accepts. */
	public static final String ACCESS_KEY = "evhttp-test";

	/** Secret access key the server accepts. */
	public static final String SECRET_KEY = "evhttp-test-secret";

	/** Region clients should sign for; S3Proxy accepts any. */
	public static final Region REGION = Region.US_EAST_1;

	private static final String LOOPBACK = "127.0.0.1";

	private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

	private static final int MAX_PORT_ATTEMPTS = 3;

	private final Path jar;

	private final Path workDirectory;

	private final Path dataDirectory;

	private final Duration startTimeout;

	private int port;

	private S3ProxyProcess process;

	private Duration lastStartTime;

	private boolean closed;

	private S3ProxyServer(Path jar, Path workDirectory, Duration startTimeout) {
		this.jar = jar;
		this.workDirectory = workDirectory;
		this.dataDirectory = workDirectory.resolve("data");
		this.startTimeout = startTimeout;
	}

	/**
	 * Creates a server, not yet started, with its data in a new temporary directory.
	 * @return the server
	 */
	public static S3ProxyServer create() {
		return create(DEFAULT_START_TIMEOUT);
	}

	/**
	 * Creates a server, not yet started, with its data in a new temporary directory.
	 * @param startTimeout how long {@link #start()} waits for the server to answer
	 * @return the server
	 */
	public static S3ProxyServer create(Duration startTimeout) {
		try {
			Path workDirectory = Files.createTempDirectory("evhttp-s3proxy-");
			Files.createDirectory(workDirectory.resolve("data"));
			return new S3ProxyServer(S3ProxyDistribution.jar(), workDirectory, startTimeout);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Starts the server and waits until it answers HTTP requests. The first start picks a
	 * free loopback port; later starts reuse it, so clients made earlier keep working.
	 * @throws IllegalStateException if the server is running or closed, or did not come
	 * up in time (the message ends with the tail of its log)
	 */
	public void start() {
		if (this.closed) {
			throw new IllegalStateException("S3Proxy server has been closed");
		}
		if (isRunning()) {
			throw new IllegalStateException("S3Proxy is already running on port " + this.port);
		}
		boolean portChosenHere = this.port == 0;
		for (int attempt = 1;; attempt++) {
			if (portChosenHere) {
				this.port = freeLoopbackPort();
			}
			try {
				startOnce();
				return;
			}
			catch (S3ProxyProcess.PortTakenException ex) {
				// another process took the port between probing and binding
				if (!portChosenHere || attempt == MAX_PORT_ATTEMPTS) {
					throw new IllegalStateException(ex.getMessage(), ex);
				}
			}
		}
	}

	/**
	 * Stops the server as an operator would (SIGTERM: in-flight requests drain) and waits
	 * for the process to end; its data stays for the next {@link #start()}. Does nothing
	 * if it is not running.
	 */
	public void stop() {
		end(false);
	}

	/**
	 * Kills the server at once (SIGKILL), as a crash or a lost machine would, and waits
	 * for the process to end; in-flight requests fail. Its data stays for the next
	 * {@link #start()}. Does nothing if it is not running.
	 */
	public void kill() {
		end(true);
	}

	/**
	 * Stops the server if it runs and deletes its data. Idempotent.
	 */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		kill();
		deleteRecursively(this.workDirectory);
	}

	/**
	 * Returns whether the forked server process is alive.
	 * @return whether it runs
	 */
	public boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/**
	 * Returns the loopback port the server listens on, chosen by the first
	 * {@link #start()}.
	 * @return the port
	 */
	public int port() {
		if (this.port == 0) {
			throw new IllegalStateException("S3Proxy has not been started");
		}
		return this.port;
	}

	/**
	 * Returns the endpoint to give an S3 client, for example
	 * {@code http://127.0.0.1:41234}. Buckets are addressed path-style.
	 * @return the endpoint
	 */
	public URI endpoint() {
		return URI.create("http://" + LOOPBACK + ":" + port());
	}

	/**
	 * Returns the access key id the server accepts.
	 * @return {@link #ACCESS_KEY}
	 */
	public String accessKey() {
		return ACCESS_KEY;
	}

	/**
	 * Returns the secret access key the server accepts.
	 * @return {@link #SECRET_KEY}
	 */
	public String secretKey() {
		return SECRET_KEY;
	}

	/**
	 * Returns how long the last {@link #start()} took, from forking the JVM to the first
	 * HTTP answer.
	 * @return the start time, or {@code null} before the first start
	 */
	public Duration lastStartTime() {
		return this.lastStartTime;
	}

	/**
	 * Returns the file receiving the forked server's standard output and error.
	 * @return the log file
	 */
	public Path logFile() {
		return this.workDirectory.resolve("s3proxy.log");
	}

	/**
	 * Returns the directory holding the server's buckets (one directory each) and
	 * objects.
	 * @return the data directory
	 */
	public Path dataDirectory() {
		return this.dataDirectory;
	}

	/**
	 * Returns a new client for this server: endpoint override, path-style addressing,
	 * region {@link #REGION}, static credentials and the JDK's {@code HttpURLConnection}
	 * transport. The caller closes it.
	 * @return the client
	 */
	public S3Client newClient() {
		return S3Client.builder()
			.endpointOverride(endpoint())
			.forcePathStyle(true)
			.region(REGION)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
			// HttpURLConnection copes badly with a final answer (a 412) sent instead of
			// 100 Continue; a conditional write retried after such a failure can then
			// report 412 for its own success
			.serviceConfiguration(S3Configuration.builder().expectContinueEnabled(false).build())
			.httpClientBuilder(UrlConnectionHttpClient.builder()
				.connectionTimeout(Duration.ofSeconds(5))
				.socketTimeout(Duration.ofSeconds(60)))
			.build();
	}

	/**
	 * Creates a bucket.
	 * @param name the bucket name
	 */
	public void createBucket(String name) {
		try (S3Client client = newClient()) {
			client.createBucket((request) -> request.bucket(name));
		}
	}

	private void startOnce() {
		Path properties = writeProperties();
		S3ProxyProcess forked = S3ProxyProcess.fork(this.jar, properties, this.workDirectory, logFile());
		this.lastStartTime = forked.awaitAnswer(endpoint(), this.startTimeout);
		this.process = forked;
	}

	private void end(boolean forcibly) {
		S3ProxyProcess running = this.process;
		this.process = null;
		if (running != null) {
			running.end(forcibly);
		}
	}

	private Path writeProperties() {
		Properties properties = new Properties();
		properties.setProperty("s3proxy.endpoint", "http://" + LOOPBACK + ":" + this.port);
		properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
		properties.setProperty("s3proxy.identity", ACCESS_KEY);
		properties.setProperty("s3proxy.credential", SECRET_KEY);
		properties.setProperty("jclouds.provider", "filesystem");
		properties.setProperty("jclouds.filesystem.basedir", this.dataDirectory.toString());
		// no jclouds.identity or jclouds.credential: the filesystem backend has none
		Path file = this.workDirectory.resolve("s3proxy.conf");
		try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
			properties.store(writer, "written by " + S3ProxyServer.class.getName());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return file;
	}

	private static int freeLoopbackPort() {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free loopback port", ex);
		}
	}

	private static void deleteRecursively(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
