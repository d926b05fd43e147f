package io.evhttp.resumable;

import io.evhttp.server.EvServer;
import io.evhttp.server.ListenerConfig;
import io.evhttp.server.PortListener;
import io.evhttp.server.ServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts evhttp with a resumable endpoint on port 0 over a {@link LocalResumableStore} in
 * a temp directory, records the endpoint's events as short strings, and lets tests move
 * the clock.
 */
abstract class ResumableFixture {

	@TempDir
	Path dir;

	@TempDir
	Path tmp;

	final List<String> events = new CopyOnWriteArrayList<>();

	final MovableClock clock = new MovableClock();

	private final List<EvServer> servers = new ArrayList<>();

	private final List<ResumableUploads> endpoints = new ArrayList<>();

	ResumableUploads endpoint;

	ResumableOptions options() {
		return ResumableOptions.defaults().withClock(this.clock).withLeaseWait(Duration.ofSeconds(2));
	}

	ResumableEvents listener() {
		return new ResumableEvents() {
			@Override
			public void onCreated(UploadInfo upload) {
				ResumableFixture.this.events.add("created " + upload.id());
			}

			@Override
			public void onCompleted(UploadInfo upload, java.net.URI location) {
				ResumableFixture.this.events.add("completed " + upload.id() + " " + upload.length());
			}

			@Override
			public void onTerminated(UploadInfo upload) {
				ResumableFixture.this.events.add("terminated " + upload.id());
			}

			@Override
			public void onExpired(UploadInfo upload) {
				ResumableFixture.this.events.add("expired " + upload.id());
			}
		};
	}

	int start() throws IOException {
		return start(options(), listener());
	}

	int start(ResumableOptions options, ResumableEvents events) throws IOException {
		EvServer server = new EvServer(ServerOptions.builder()
			.network((n) -> n.withEventLoops(2))
			.uploads((u) -> u.withTmpPath(this.tmp))
			.build());
		this.servers.add(server);
		this.endpoint = new ResumableUploads(options, new LocalResumableStore(this.dir), events);
		this.endpoints.add(this.endpoint);
		PortListener listener = server.listen(ListenerConfig.of(0, this.endpoint)
			.withUploads(this.endpoint)
			.withAddress(new InetSocketAddress("127.0.0.1", 0)));
		server.start();
		return listener.port();
	}

	/**
	 * Stops every server started so far (a restart starts a new one on the same
	 * directory).
	 */
	void stopAll() {
		this.servers.forEach(EvServer::close);
		this.endpoints.forEach(ResumableUploads::close);
		this.servers.clear();
		this.endpoints.clear();
	}

	@AfterEach
	void stopServers() {
		stopAll();
	}

	List<String> filesInDir() throws IOException {
		try (Stream<Path> files = Files.list(this.dir)) {
			return files.map((p) -> p.getFileName().toString()).sorted().toList();
		}
	}

	static byte[] random(int size, long seed) {
		byte[] b = new byte[size];
		new Random(seed).nextBytes(b);
		return b;
	}

	static String sha256(byte[] data) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String idOf(String location) {
		return location.substring(location.lastIndexOf('/') + 1);
	}

	static String pathOf(String location) {
		return java.net.URI.create(location).getPath();
	}

	/** A clock the test moves forward. */
	static final class MovableClock extends Clock {

		private volatile Instant now = Instant.parse("2030-01-01T00:00:00Z");

		void advance(Duration d) {
			this.now = this.now.plus(d);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
