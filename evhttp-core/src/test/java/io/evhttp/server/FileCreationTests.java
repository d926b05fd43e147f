package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.http.HttpException;
import io.evhttp.upload.LocalDiskStore;
import io.evhttp.upload.UploadSink;
import io.evhttp.upload.UploadStore;
import io.evhttp.upload.UploadTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A store whose creation may block is called off the event loop: while it takes its time,
 * the upload waits and everyone else on the loop is served. The creations are held back
 * by a gate here, as a slow file system would; the local store itself creates on the
 * loop.
 */
class FileCreationTests extends ServerFixture {

	/** Local files, from a store that says its creation may block. */
	private boolean slowStore = true;

	/** When set, the store instead of the above. */
	private UploadStore store;

	@Override
	UploadStore store() {
		if (this.store != null) {
			return this.store;
		}
		if (!this.slowStore) {
			return null;
		}
		LocalDiskStore local = new LocalDiskStore(this.tmp);
		return new UploadStore() {

			@Override
			public UploadSink create(UploadTarget target) throws IOException {
				return local.create(target);
			}

		};
	}

	private static final byte[] DATA = HttpServerTests.randomBytes(200_000, 7);

	private static final byte[] SMALL = HttpServerTests.randomBytes(5_000, 8);

	/** Holds file creations until the test lets each one run. */
	static final class Gate implements Executor {

		private final BlockingQueue<Runnable> held = new LinkedBlockingQueue<>();

		@Override
		public void execute(Runnable task) {
			this.held.add(task);
		}

		void awaitHeld(int n) {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.held.size() == n);
		}

		/** Runs the oldest held creation on this thread. */
		void releaseOne() throws InterruptedException {
			Runnable task = this.held.poll(10, TimeUnit.SECONDS);
			assertThat(task).as("a file creation was requested").isNotNull();
			task.run();
		}

	}

	private final Gate gate = new Gate();

	/**
	 * Sends {@code request} in two writes: up to a little past the first file part's
	 * headers, then (once that file is being created) the rest, which waits in the
	 * socket.
	 */
	private void sendSplit(RawClient client, byte[] request) throws Exception {
		int split = indexOf(request, "filename=".getBytes(StandardCharsets.US_ASCII)) + 200;
		client.send(java.util.Arrays.copyOf(request, split));
		this.gate.awaitHeld(1);
		client.send(java.util.Arrays.copyOfRange(request, split, request.length));
	}

	private static int indexOf(byte[] data, byte[] pattern) {
		outer: for (int i = 0; i + pattern.length <= data.length; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (data[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		throw new AssertionError("pattern not found");
	}

	private int startGated(UploadListener listener) throws Exception {
		return start(options().network((n) -> n.withEventLoops(1)).uploads((u) -> u.withFileOpenExecutor(this.gate)),
				ECHO, listener, null);
	}

	@Test
	void otherConnectionsOfTheLoopAreServedWhileAFileIsCreated() throws Exception {
		int port = startGated(null);
		byte[] body = new Multipart().field("t", "x").file("f", "f.bin", "application/octet-stream", DATA).build();
		try (RawClient upload = new RawClient(port); RawClient hello = new RawClient(port)) {
			sendSplit(upload, Multipart.request("/u", body, ""));
			assertThat(hello.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("Hello, World!");
			assertThat(tmpFiles()).isEmpty();
			this.gate.releaseOne();
			assertThat(upload.read().text())
				.isEqualTo("POST /u\nfield t=[x]\nfile f f.bin application/octet-stream 200000 "
						+ UploadServerTests.sha256(DATA) + "\n");
		}
		awaitTmpEmpty();
	}

	@Test
	void filePartsThatArriveTogetherEachWaitForTheirOwnFile() throws Exception {
		int port = startGated(null);
		byte[] a = "first".getBytes(StandardCharsets.US_ASCII);
		byte[] c = "third".getBytes(StandardCharsets.US_ASCII);
		byte[] body = new Multipart().file("a", "a.txt", "text/plain", a)
			.field("b", "between")
			.file("c", "c.txt", "text/plain", c)
			.file("d", "d.bin", "application/octet-stream", SMALL)
			.build();
		try (RawClient client = new RawClient(port)) {
			client.send(Multipart.request("/u", body, "")); // one read: each file's bytes
															// wait for it
			for (int i = 0; i < 3; i++) {
				this.gate.awaitHeld(1); // the next creation is asked for only once the
										// last one is open
				this.gate.releaseOne();
			}
			assertThat(client.read().text()).isEqualTo("POST /u\nfield b=[between]\n" + "file a a.txt text/plain 5 "
					+ UploadServerTests.sha256(a) + "\n" + "file c c.txt text/plain 5 " + UploadServerTests.sha256(c)
					+ "\n" + "file d d.bin application/octet-stream 5000 " + UploadServerTests.sha256(SMALL) + "\n");
			assertThat(client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
		}
		awaitTmpEmpty();
	}

	@Test
	void rawBodyWaitsForItsFile() throws Exception {
		int port = startGated(null);
		try (RawClient client = new RawClient(port)) {
			client
				.send("PUT /raw HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: "
						+ DATA.length + "\r\n\r\n")
				.send(java.util.Arrays.copyOf(DATA, 1000));
			this.gate.awaitHeld(1);
			client.send(java.util.Arrays.copyOfRange(DATA, 1000, DATA.length));
			this.gate.releaseOne();
			assertThat(client.read().text())
				.isEqualTo("PUT /raw\nbody application/octet-stream 200000 " + UploadServerTests.sha256(DATA) + "\n");
		}
		awaitTmpEmpty();
	}

	@Test
	void clientLeavingWhileItsFileIsCreatedLeavesNoFile() throws Exception {
		List<String> errors = new CopyOnWriteArrayList<>();
		int port = startGated(new UploadListener() {
			@Override
			public void onError(Request r, HttpException reason) {
				errors.add(reason.reason());
			}
		});
		byte[] request = Multipart.request("/u", new Multipart().file("f", "f.bin", null, DATA).build(), "");
		RawClient client = new RawClient(port);
		sendSplit(client, java.util.Arrays.copyOf(request, request.length / 2));
		client.socket().setSoLinger(true, 0);
		client.close();
		// reading is paused meanwhile: the reset is seen once the file exists
		this.gate.releaseOne();
		await().atMost(Duration.ofSeconds(10)).until(() -> errors.size() == 1);
		assertThat(errors.get(0)).startsWith("client disconnected");
		awaitTmpEmpty();
		try (RawClient next = new RawClient(port)) {
			assertThat(next.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
		}
	}

	@Test
	void serverStoppingWhileAFileIsCreatedLeavesNoFile() throws Exception {
		int port = startGated(null);
		byte[] request = Multipart.request("/u", new Multipart().file("f", "f.bin", null, DATA).build(), "");
		try (RawClient client = new RawClient(port)) {
			sendSplit(client, request);
			lastServer().stop(Duration.ZERO);
			this.gate.releaseOne();
			assertThat(client.isClosedByServer()).isTrue();
		}
		assertThat(tmpFiles()).isEmpty();
	}

	@Test
	void aFileWithManyBytesAlreadyReadBehindItIsCreatedAtOnce() throws Exception {
		int port = startGated(null);
		byte[] body = new Multipart().file("f", "f.bin", "application/octet-stream", DATA).build();
		try (RawClient client = new RawClient(port)) {
			// one write: the first read brings tens of kilobytes behind the part headers
			client.send(Multipart.request("/u", body, ""));
			assertThat(client.read().text()).isEqualTo(
					"POST /u\nfile f f.bin application/octet-stream 200000 " + UploadServerTests.sha256(DATA) + "\n");
		}
		assertThat(this.gate.held).isEmpty();
		awaitTmpEmpty();
	}

	@Test
	void theLocalStoreCreatesSmallFilesOnTheLoop() throws Exception {
		this.slowStore = false;
		int port = startGated(null);
		byte[] body = new Multipart().field("t", "x").file("f", "f.bin", "application/octet-stream", SMALL).build();
		try (RawClient client = new RawClient(port)) {
			// a few kilobytes in one write: under the bytes a file thread would be worth
			client.send(Multipart.request("/u", body, ""));
			assertThat(client.read().text())
				.isEqualTo("POST /u\nfield t=[x]\nfile f f.bin application/octet-stream 5000 "
						+ UploadServerTests.sha256(SMALL) + "\n");
		}
		assertThat(this.gate.held).isEmpty();
		awaitTmpEmpty();
	}

	/**
	 * A store that creates quickly, on a file system that has turned slow: once a
	 * creation has taken the pass's budget, the next files of the same read are created
	 * on the loop in its next passes, never on a file thread.
	 */
	@Test
	void aQuickStoreTurnedSlowCreatesPastTheBudgetInTheLoopsNextPasses() throws Exception {
		LocalDiskStore local = new LocalDiskStore(this.tmp);
		List<String> threads = new CopyOnWriteArrayList<>();
		List<Boolean> deferred = new CopyOnWriteArrayList<>();
		this.store = new UploadStore() {

			@Override
			public UploadSink create(UploadTarget target) throws IOException {
				threads.add(Thread.currentThread().getName());
				deferred.add(StackWalker.getInstance()
					.walk((frames) -> frames.anyMatch((f) -> f.getClassName().equals(CreationBudget.class.getName())
							&& f.getMethodName().equals("newPass"))));
				try {
					Thread.sleep(TimeUnit.NANOSECONDS.toMillis(CreationBudget.PASS_NANOS) + 1);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return local.create(target);
			}

			@Override
			public boolean createMayBlock() {
				return false;
			}

		};
		int port = startGated(null);
		Multipart form = new Multipart();
		StringBuilder expected = new StringBuilder("POST /u\n");
		for (int i = 0; i < 4; i++) {
			byte[] data = ("file " + i).getBytes(StandardCharsets.US_ASCII);
			form.file("f" + i, i + ".txt", "text/plain", data);
			expected.append("file f" + i + " " + i + ".txt text/plain 6 " + UploadServerTests.sha256(data) + "\n");
		}
		try (RawClient client = new RawClient(port)) {
			client.send(Multipart.request("/u", form.build(), "")); // one read
			assertThat(client.read().text()).isEqualTo(expected.toString());
			assertThat(client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
		}
		assertThat(threads).hasSize(4).allMatch((name) -> name.startsWith("evhttp-loop"));
		assertThat(deferred).as("the first at once, the others in later passes")
			.containsExactly(false, true, true, true);
		assertThat(this.gate.held).isEmpty();
		awaitTmpEmpty();
	}

	@Test
	void fileExecutorRefusingGets503AndLeavesNoFile() throws Exception {
		Executor refusing = (task) -> {
			throw new RejectedExecutionException("full");
		};
		int port = start(options().network((n) -> n.withEventLoops(1)).uploads((u) -> u.withFileOpenExecutor(refusing)),
				ECHO, null, null);
		byte[] request = Multipart.request("/u", new Multipart().file("f", "f.bin", null, SMALL).build(), "");
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send(request).read().status()).isEqualTo(503);
		}
		assertThat(tmpFiles()).isEmpty();
		try (RawClient next = new RawClient(port)) {
			assertThat(next.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
		}
	}

}
