package io.evhttp.s3.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The server's own life cycle: restart on the same port, a taken port, what stays on
 * disk.
 */
class S3ProxyServerTests {

	@Test
	void stopKeepsTheDataAndCloseDeletesIt() {
		Path data;
		try (S3ProxyServer server = S3ProxyServer.create()) {
			data = server.dataDirectory();
			server.start();
			server.createBucket("kept");
			server.stop();
			assertThat(data.resolve("kept")).isDirectory();
			assertThat(server.endpoint().getHost()).isEqualTo("127.0.0.1");
		}
		assertThat(data).doesNotExist();
	}

	@Test
	void restartOnATakenPortFailsNamingTheEndpointAndWorksOnceItIsFree() throws Exception {
		try (S3ProxyServer server = S3ProxyServer.create()) {
			server.start();
			int port = server.port();
			server.kill();
			try (ServerSocket squatter = new ServerSocket()) {
				squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
				assertThatIllegalStateException().isThrownBy(server::start)
					.withMessageContaining("127.0.0.1:" + port)
					.withMessageContaining("its log");
				assertThat(server.isRunning()).isFalse();
			}
			server.start();
			assertThat(server.port()).isEqualTo(port);
			try (S3Client s3 = server.newClient()) {
				assertThat(s3.listBuckets().buckets()).isEmpty();
			}
		}
	}

	@Test
	void startingARunningServerIsRefused() {
		try (S3ProxyServer server = S3ProxyServer.create()) {
			server.start();
			assertThatIllegalStateException().isThrownBy(server::start).withMessageContaining("already running");
			assertThat(Files.exists(server.logFile())).isTrue();
		}
	}

}
