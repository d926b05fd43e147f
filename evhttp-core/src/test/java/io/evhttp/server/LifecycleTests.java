package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Listeners, timeouts over the wire, connection caps and graceful stop. */
class LifecycleTests extends ServerFixture {

	@Test
	void listenerStopsAndStartsAgainOnTheSamePort() throws Exception {
		EvServer server = new EvServer(options().build());
		try {
			PortListener listener = server
				.listen(ListenerConfig.of(0, ECHO).withAddress(new InetSocketAddress("127.0.0.1", 0)));
			server.start();
			int port = listener.port();
			try (RawClient open = new RawClient(port)) {
				// served once, so accepted: connections still in the backlog are reset by
				// the unbind
				assertThat(open.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
				listener.stop();
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThatThrownBy(() -> new RawClient(port).close())
						.isInstanceOf(ConnectException.class));
				// a connection accepted before the stop carries on
				assertThat(open.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
			}
			listener.start();
			assertThat(listener.port()).isEqualTo(port);
			try (RawClient client = new RawClient(port)) {
				assertThat(client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
			}
		}
		finally {
			server.close();
		}
	}

	@Test
	void stoppedServerStartsAgainOnTheSamePortAndClosesForGood() throws Exception {
		EvServer server = new EvServer(options().build());
		try {
			PortListener listener = server
				.listen(ListenerConfig.of(0, ECHO).withAddress(new InetSocketAddress("127.0.0.1", 0)));
			int port = listener.port();
			for (int run = 0; run < 2; run++) {
				server.start();
				assertThat(server.isRunning()).isTrue();
				try (RawClient client = new RawClient(port)) {
					assertThat(client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
				}
				assertThat(server.stop(Duration.ofSeconds(5))).isZero();
				assertThat(server.isRunning()).isFalse();
				assertThat(listener.isListening()).isFalse();
				assertThatThrownBy(() -> new RawClient(port).close()).isInstanceOf(ConnectException.class);
			}
			server.close();
			assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessage("server closed");
		}
		finally {
			server.close();
		}
	}

	@Test
	void closingAServerNeverStartedUnbindsItsListeners() throws Exception {
		EvServer server = new EvServer(options().build());
		PortListener listener = server
			.listen(ListenerConfig.of(0, ECHO).withAddress(new InetSocketAddress("127.0.0.1", 0)));
		server.close();
		assertThat(listener.isListening()).isFalse();
		assertThatThrownBy(() -> new RawClient(listener.port()).close()).isInstanceOf(ConnectException.class);
	}

	@Test
	void streamIsToldOfTheStopAndEndsSoTheStopDoesNotWaitForIt() throws Exception {
		CountDownLatch streaming = new CountDownLatch(1);
		int port = start(options(), (req, res) -> {
			res.contentType("text/event-stream");
			res.write("data: hello\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			res.onServerStopping(() -> {
				res.write("event: bye\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
				res.end();
			});
			streaming.countDown();
		}, null, null);
		EvServer server = lastServer();
		try (RawClient client = new RawClient(port)) {
			client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(streaming.await(10, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Integer> stopping = CompletableFuture
				.supplyAsync(() -> server.stop(Duration.ofMinutes(5)));
			// well before the grace period: the stream ended when told
			assertThat(stopping.get(30, TimeUnit.SECONDS)).isZero();
			RawClient.Reply reply = client.read();
			assertThat(reply.text()).isEqualTo("data: hello\n\nevent: bye\n\n");
		}
	}

	@Test
	void stopCutsWhatOutlivesTheGracePeriodAndSaysHowMany() throws Exception {
		CountDownLatch handling = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			int port = start(options(), (req, res) -> {
				handling.countDown();
				release.await();
				res.send("late");
			}, null, executor);
			try (RawClient busy = new RawClient(port)) {
				busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
				assertThat(handling.await(10, TimeUnit.SECONDS)).isTrue();
				assertThat(lastServer().stop(Duration.ofMillis(100))).isEqualTo(1);
				assertThat(busy.isClosedByServer()).isTrue();
			}
		}
		finally {
			release.countDown();
			executor.shutdownNow();
		}
	}

	@Test
	void incompleteHeadGets408AfterTheTimeout() throws IOException {
		int port = start(options().timeouts((t) -> t.withTimeout(Duration.ofMillis(300))), ECHO, null, null);
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client.send("GET /hello HTTP/1.1\r\nHost: x\r\n").read();
			assertThat(reply.status()).isEqualTo(408);
			assertThat(client.isClosedByServer()).isTrue();
		}
	}

	@Test
	void stalledUploadGets408AndLeavesNoFile() throws IOException {
		int port = start(options().timeouts((t) -> t.withTimeout(Duration.ofMillis(300))), ECHO, null, null);
		byte[] body = new Multipart().file("f", "x", null, new byte[100_000]).build();
		byte[] request = Multipart.request("/u", body, "");
		try (RawClient client = new RawClient(port)) {
			RawClient.Reply reply = client.send(java.util.Arrays.copyOf(request, request.length - 1000)).read();
			assertThat(reply.status()).isEqualTo(408);
		}
		awaitTmpEmpty();
	}

	@Test
	void idleKeepAliveConnectionIsClosed() throws IOException {
		int port = start(options().timeouts((t) -> t.withKeepAliveTimeout(Duration.ofMillis(200))), ECHO, null, null);
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
			assertThat(client.isClosedByServer()).isTrue();
		}
	}

	@Test
	void connectionCapPausesAcceptingUntilAConnectionCloses() throws Exception {
		int port = start(options().network((n) -> n.withMaxConnections(1)), ECHO, null, null);
		RawClient first = new RawClient(port);
		assertThat(first.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
		try (RawClient second = new RawClient(port)) {
			// connected in the kernel's backlog, but not served while the first is open
			second.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
			second.socket().setSoTimeout(300);
			assertThatThrownBy(second::read).isInstanceOf(java.net.SocketTimeoutException.class);
			first.close();
			second.socket().setSoTimeout(10_000);
			assertThat(second.read().status()).isEqualTo(200);
		}
	}

	@Test
	void gracefulStopLetsARequestInFlightFinishAndClosesIdleConnections() throws Exception {
		CountDownLatch handling = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			int port = start(options(), (req, res) -> {
				if (req.path().equals("/slow")) {
					handling.countDown();
					release.await();
				}
				res.send("done");
			}, null, executor);
			EvServer server = lastServer();
			try (RawClient idle = new RawClient(port); RawClient busy = new RawClient(port)) {
				assertThat(idle.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
				busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
				assertThat(handling.await(10, TimeUnit.SECONDS)).isTrue();
				CompletableFuture<Void> stopping = CompletableFuture
					.runAsync(() -> server.stop(Duration.ofSeconds(30)));
				assertThat(idle.isClosedByServer()).isTrue();
				assertThat(stopping).isNotDone();
				release.countDown();
				RawClient.Reply reply = busy.read();
				assertThat(reply.text()).isEqualTo("done");
				assertThat(reply.header("Connection")).isEqualTo("close");
				stopping.get(10, TimeUnit.SECONDS);
			}
			assertThat(server.connectionCount()).isZero();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void unwritableTmpPathFailsNamingIt() {
		java.nio.file.Path file = this.tmp.resolve("a-file");
		assertThatThrownBy(() -> {
			java.nio.file.Files.writeString(file, "x");
			new EvServer(options().uploads((u) -> u.withTmpPath(file.resolve("sub"))).build());
		}).isInstanceOf(IllegalStateException.class).hasMessageContaining(file.resolve("sub").toString());
	}

	@Test
	void leftoversOfACrashedRunAreSweptAtStartAndNothingElse() throws Exception {
		java.nio.file.Path orphan = this.tmp.resolve("evhttp-999999999-0123456789abcdef0123456789abcdef.upload");
		java.nio.file.Path foreign = this.tmp.resolve("keep-me.txt");
		java.nio.file.Files.writeString(orphan, "x");
		java.nio.file.Files.writeString(foreign, "x");
		new EvServer(options().build()).close();
		assertThat(orphan).doesNotExist();
		assertThat(foreign).exists();
		java.nio.file.Files.delete(foreign);
	}

}
