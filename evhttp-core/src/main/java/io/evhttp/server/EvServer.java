package io.evhttp.server;

import io.evhttp.internal.http.RequestHead;
import io.evhttp.upload.LocalDiskStore;
import io.evhttp.upload.OffloadedStore;
import io.evhttp.upload.UploadStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A non-blocking HTTP/1.1 server built for receiving uploads: one acceptor thread, N
 * event loops, any number of listeners.
 *
 * <pre>{@code
 * EvServer server = new EvServer(ServerOptions.builder()
 *     .uploads((u) -> u.withTmpPath(Path.of("/var/tmp/up")))
 *     .build());
 * PortListener http = server.listen(ListenerConfig.of(8090, (req, res) -> res.send("hi")));
 * server.start();
 * ...
 * server.stop(Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>
 * Listeners bind when added (so {@link PortListener#port()} is known at once) and accept
 * once the server is started. {@link #stop} stops accepting, closes idle connections,
 * lets requests in flight finish within the grace period, then closes every connection
 * and ends the threads; {@link #start} then starts again, the listeners binding their
 * ports anew. {@link #close} ends the server for good.
 *
 * <pre>
 *   NEW --start--&gt; RUNNING --stop--&gt; STOPPED --start--&gt; RUNNING
 *   any --close--&gt; CLOSED
 * </pre>
 */
public final class EvServer implements AutoCloseable {

	private static final Logger log = Logger.getLogger(EvServer.class.getName());

	private final ServerOptions options;

	private final LocalDiskStore tempFiles;

	/** Where uploads go: {@link #tempFiles}, or the application's store. */
	private final UploadStore store;

	private final ProxyTrust proxyTrust;

	private final DiskBudget diskBudget;

	private final ServerStats stats = new ServerStats();

	private final List<PortListenerImpl> listeners = new CopyOnWriteArrayList<>();

	private final AtomicLong requestIds = new AtomicLong();

	private final AtomicInteger openConnections = new AtomicInteger();

	/** This run's acceptor; a stopped run's is replaced by a fresh one. */
	private volatile Acceptor acceptor;

	/**
	 * Creates the files of stores whose creation may block (see {@link FileReceiver}).
	 */
	private final Executor fileOpens;

	/** The server's own file threads, when the options name no executor. */
	private final ThreadPoolExecutor ownFileOpens;

	private EventLoop[] loops;

	private enum State {

		NEW, RUNNING, STOPPED, CLOSED

	}

	private volatile State state = State.NEW;

	/** Set while a stop waits for connections to close. */
	private volatile boolean stopping;

	/**
	 * Creates a server that stores uploads in {@code tmpPath}; nothing is bound or
	 * started yet. Leftover temp files of crashed runs are swept from {@code tmpPath}.
	 * @throws IllegalStateException naming {@code tmpPath} when it cannot be created or
	 * written
	 */
	public EvServer(ServerOptions options) {
		this(options, null);
	}

	/**
	 * Creates a server that stores uploads in {@code store} ({@code null}: files in
	 * {@code tmpPath}); with a disk-write executor in the options, its writes run there.
	 * Leftovers of crashed runs are swept from {@code tmpPath} and from the store.
	 * @throws IllegalStateException naming {@code tmpPath} when it cannot be created or
	 * written
	 */
	public EvServer(ServerOptions options, UploadStore store) {
		this.options = options;
		this.tempFiles = new LocalDiskStore(options.uploads().tmpPath());
		this.tempFiles.sweep(false);
		UploadStore chosen = (store != null) ? store : this.tempFiles;
		if (store != null) {
			store.sweep();
		}
		this.store = (options.uploads().diskWriteExecutor() != null)
				? new OffloadedStore(chosen, options.uploads().diskWriteExecutor()) : chosen;
		this.proxyTrust = ProxyTrust.of(options.proxies().trustedProxies());
		this.diskBudget = new DiskBudget(this.store, options.uploads().diskBudgetBytes());
		this.ownFileOpens = (options.uploads().fileOpenExecutor() == null)
				? newFileOpens(Math.max(1, options.network().eventLoops() / 2)) : null;
		this.fileOpens = (this.ownFileOpens != null) ? this.ownFileOpens : options.uploads().fileOpenExecutor();
		this.acceptor = newAcceptor();
	}

	private Acceptor newAcceptor() {
		try {
			return new Acceptor(this);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot open a selector", ex);
		}
	}

	public ServerOptions options() {
		return this.options;
	}

	/** The directory where uploads are written while they arrive ({@code tmp-path}). */
	public Path tmpPath() {
		return this.tempFiles.directory();
	}

	/**
	 * Removes this kind of server's files from {@code tmp-path}: those of crashed runs,
	 * and with {@code includeOwn} this server's too (at shutdown).
	 * @return how many were removed
	 */
	public int sweepTmpPath(boolean includeOwn) {
		return this.tempFiles.sweep(includeOwn);
	}

	/** Usable bytes on {@code tmp-path}'s file system. */
	public long tmpPathUsableSpace() throws IOException {
		return this.tempFiles.usableSpace();
	}

	/** Where uploads are stored. */
	public UploadStore store() {
		return this.store;
	}

	/** Counters: bytes, requests, uploads in flight, refusals. */
	public ServerStats stats() {
		return this.stats;
	}

	/** Bytes promised to uploads in flight (their declared lengths). */
	public long reservedBytes() {
		return this.diskBudget.reserved();
	}

	/**
	 * Binds a listener. Accepting starts with {@link #start()} (at once if already
	 * started).
	 */
	public synchronized PortListener listen(ListenerConfig config) throws IOException {
		if (this.state == State.CLOSED) {
			throw new IllegalStateException("server closed");
		}
		if (config.tls() != null && this.options.network().readBufferSize() < TlsIo.MIN_READ_BUFFER_BYTES) {
			throw new IllegalArgumentException("TLS needs network.readBufferBytes of at least "
					+ TlsIo.MIN_READ_BUFFER_BYTES + " (a decrypted record must fit)");
		}
		PortListenerImpl listener = new PortListenerImpl(this, config);
		listener.start();
		this.listeners.add(listener);
		return listener;
	}

	public List<PortListener> listeners() {
		return List.copyOf(this.listeners);
	}

	/**
	 * Starts the event loops and the acceptor; after {@link #stop}, also binds the
	 * listeners again, each to the port it had.
	 * @throws UncheckedIOException when a listener cannot bind again
	 */
	public synchronized void start() {
		if (this.state == State.RUNNING) {
			return;
		}
		if (this.state == State.CLOSED) {
			throw new IllegalStateException("server closed");
		}
		if (this.state == State.STOPPED) {
			rebindListeners();
		}
		EventLoop[] created = new EventLoop[this.options.network().eventLoops()];
		try {
			for (int i = 0; i < created.length; i++) {
				created[i] = new EventLoop(this, i, System::nanoTime);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot open a selector", ex);
		}
		this.loops = created;
		for (EventLoop loop : created) {
			loop.start();
		}
		this.acceptor.start();
		this.state = State.RUNNING;
	}

	private void rebindListeners() {
		for (PortListenerImpl listener : this.listeners) {
			try {
				listener.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	public boolean isRunning() {
		return this.state == State.RUNNING;
	}

	/** Open connections, over all listeners. */
	public int connectionCount() {
		return this.openConnections.get();
	}

	/**
	 * Stops gracefully: no new connections; idle ones close now; requests in flight may
	 * finish within {@code grace}; then every connection is closed and the threads end.
	 * The server may be started again.
	 * @return how many connections were still open when the grace period ended
	 */
	public synchronized int stop(Duration grace) {
		if (this.state != State.RUNNING) {
			unbindListeners();
			return 0;
		}
		this.state = State.STOPPED;
		this.stopping = true;
		unbindListeners();
		Acceptor ending = this.acceptor;
		ending.shutdown();
		for (EventLoop loop : this.loops) {
			loop.beginStop();
		}
		long deadline = System.nanoTime() + grace.toNanos();
		int cut = 0;
		try {
			while (this.openConnections.get() > 0 && System.nanoTime() < deadline) {
				synchronized (this.openConnections) {
					this.openConnections.wait(Math.max(1, Math.min(50, (deadline - System.nanoTime()) / 1_000_000)));
				}
			}
			cut = this.openConnections.get();
			for (EventLoop loop : this.loops) {
				loop.terminate();
			}
			for (EventLoop loop : this.loops) {
				loop.awaitTermination(5000);
			}
			ending.awaitTermination(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.acceptor = newAcceptor();
			this.loops = null;
			this.stopping = false;
		}
		return cut;
	}

	private void unbindListeners() {
		for (PortListenerImpl listener : this.listeners) {
			try {
				listener.stop();
			}
			catch (IOException ex) {
				log.log(Level.FINE, "closing " + listener, ex);
			}
		}
	}

	/** Stops without a grace period, for good: the server cannot be started again. */
	@Override
	public synchronized void close() {
		if (this.state == State.CLOSED) {
			return;
		}
		stop(Duration.ZERO);
		this.state = State.CLOSED;
		this.acceptor.shutdown();
		this.acceptor.closeUnstarted();
		if (this.ownFileOpens != null) {
			this.ownFileOpens.shutdown();
			try {
				this.ownFileOpens.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	// ---- for the loops
	// -------------------------------------------------------------------

	DiskBudget diskBudget() {
		return this.diskBudget;
	}

	Executor fileOpens() {
		return this.fileOpens;
	}

	/**
	 * Half as many threads as loops (at least one), started on demand and ended after a
	 * minute idle; used by stores whose creation may block. When that creation is kernel
	 * CPU it competes with the loops: on two cores, one file thread kept /hello's p99 at
	 * 156-202 ms while 2,000 uploads started at once, two threads 189-316 ms (four runs
	 * each).
	 */
	private static ThreadPoolExecutor newFileOpens(int threads) {
		AtomicInteger ids = new AtomicInteger();
		ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, "evhttp-files-" + ids.getAndIncrement());
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

	Acceptor acceptor() {
		return this.acceptor;
	}

	EventLoop[] loops() {
		return this.loops;
	}

	long nextRequestId() {
		return this.requestIds.incrementAndGet();
	}

	/**
	 * The client's address: the peer's ({@code peerText}, formatted once per connection),
	 * or the one named by the real-IP header when the peer is a trusted proxy.
	 */
	String clientIp(InetAddress peer, String peerText, RequestHead head) {
		String header = this.options.proxies().realIpHeader();
		if (header == null) {
			return peerText;
		}
		String value = head.headers().get(header);
		return (value == null) ? peerText : this.proxyTrust.clientIp(peer, value);
	}

	/** Counts a connection about to be accepted; false when at the cap. */
	boolean reserveConnection() {
		int max = this.options.network().maxConnections();
		while (true) {
			int open = this.openConnections.get();
			if (max > 0 && open >= max) {
				return false;
			}
			if (this.openConnections.compareAndSet(open, open + 1)) {
				return true;
			}
		}
	}

	boolean hasConnectionRoom() {
		int max = this.options.network().maxConnections();
		return max == 0 || this.openConnections.get() < max;
	}

	/** A reserved connection was not accepted after all. */
	void onConnectionRefused() {
		this.openConnections.decrementAndGet();
	}

	void onConnectionClosed() {
		int left = this.openConnections.decrementAndGet();
		this.acceptor.onConnectionClosed();
		if (left == 0 && this.stopping) {
			synchronized (this.openConnections) {
				this.openConnections.notifyAll();
			}
		}
	}

}
