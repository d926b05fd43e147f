package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.upload.DigestAlgorithm;
import io.evhttp.upload.UploadStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts servers on port 0 writing into a JUnit temp dir, and stops them after each test.
 */
abstract class ServerFixture {

	@TempDir
	Path tmp;

	private final List<EvServer> servers = new ArrayList<>();

	/** Answers /hello, and describes any other request: query, fields and files. */
	static final Handler ECHO = (req, res) -> {
		if (req.path().equals("/hello")) {
			res.send(200, "text/plain", "Hello, World!".getBytes());
			return;
		}
		StringBuilder sb = new StringBuilder();
		sb.append(req.method()).append(' ').append(req.path()).append('\n');
		req.query().forEach((k, v) -> sb.append("query ").append(k).append('=').append(v).append('\n'));
		req.fields().forEach((k, v) -> sb.append("field ").append(k).append('=').append(v).append('\n'));
		for (UploadedFile f : req.files()) {
			sb.append("file ")
				.append(f.field())
				.append(' ')
				.append(f.filename())
				.append(' ')
				.append(f.contentType())
				.append(' ')
				.append(f.size())
				.append(' ')
				.append(f.digestHex())
				.append('\n');
		}
		if (req.body() != null) {
			sb.append("body ")
				.append(req.body().contentType())
				.append(' ')
				.append(req.body().size())
				.append(' ')
				.append(req.body().digestHex())
				.append('\n');
		}
		res.send(sb.toString());
	};

	int start(Handler handler) throws IOException {
		return start(options(), handler, null, null);
	}

	ServerOptions.Builder options() {
		return ServerOptions.builder()
			.network((n) -> n.withEventLoops(2))
			.uploads((u) -> u.withTmpPath(this.tmp).withDigest(DigestAlgorithm.SHA_256));
	}

	int start(ServerOptions.Builder options, Handler handler, UploadListener uploads, Executor executor)
			throws IOException {
		return start(options, handler, uploads, executor, null);
	}

	int start(ServerOptions.Builder options, Handler handler, UploadListener uploads, Executor executor, TlsOptions tls)
			throws IOException {
		EvServer server = new EvServer(options.build(), store());
		this.servers.add(server);
		PortListener listener = server
			.listen(new ListenerConfig(new InetSocketAddress("127.0.0.1", 0), handler, uploads, executor, tls));
		server.start();
		return listener.port();
	}

	/** The store uploads go to; {@code null}: files in tmp-path. */
	UploadStore store() {
		return null;
	}

	EvServer lastServer() {
		return this.servers.get(this.servers.size() - 1);
	}

	/**
	 * Waits until no upload is left in the temp dir (files are deleted as the response
	 * completes).
	 */
	void awaitTmpEmpty() {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tmpFiles()).isEmpty());
	}

	List<Path> tmpFiles() throws IOException {
		try (Stream<Path> files = Files.list(this.tmp)) {
			return files.toList();
		}
	}

	@AfterEach
	void stopServers() {
		for (EvServer server : this.servers) {
			server.close();
		}
	}

}
