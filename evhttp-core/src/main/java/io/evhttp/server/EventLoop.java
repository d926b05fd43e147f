package io.evhttp.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A selector thread owning a set of connections, one direct read buffer, a task queue and
 * the timeout sweep. Other threads reach a connection only through {@link #execute},
 * which wakes the selector when the caller is not the loop itself and no wake-up is
 * already pending.
 */
final class EventLoop implements Runnable {

	private static final Logger log = Logger.getLogger(EventLoop.class.getName());

	private static final long TICK_NANOS = 250_000_000L;

	private final EvServer server;

	private final ServerOptions options;

	private final Selector selector;

	private final ByteBuffer readBuffer;

	private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean wakeupPending = new AtomicBoolean();

	private final Set<Connection> connections = new HashSet<>();

	private final TimeoutPolicy timeouts;

	private final LongSupplier clock;

	private final Thread thread;

	private final CountDownLatch terminated = new CountDownLatch(1);

	private volatile boolean running = true;

	private volatile boolean stopping;

	private long now;

	private long nextTick;

	private final CreationBudget creations;

	EventLoop(EvServer server, int index, LongSupplier clock) throws IOException {
		this.server = server;
		this.options = server.options();
		this.selector = Selector.open();
		this.readBuffer = ByteBuffer.allocateDirect(this.options.network().readBufferSize());
		this.timeouts = TimeoutPolicy.of(this.options);
		this.clock = clock;
		this.now = clock.getAsLong();
		// real time, whatever clock the timeouts run on: it measures what creations cost
		this.creations = new CreationBudget(System::nanoTime);
		this.thread = new Thread(this, "evhttp-loop-" + index);
		this.thread.setDaemon(false);
	}

	void start() {
		this.thread.start();
	}

	EvServer server() {
		return this.server;
	}

	ServerOptions options() {
		return this.options;
	}

	ByteBuffer readBuffer() {
		return this.readBuffer;
	}

	/** Time of the current loop iteration, in nanoseconds. */
	long now() {
		return this.now;
	}

	boolean inLoop() {
		return Thread.currentThread() == this.thread;
	}

	boolean isStopping() {
		return this.stopping;
	}

	/** Runs {@code task} on this loop, after the events being handled. */
	void execute(Runnable task) {
		this.tasks.add(task);
		if (!inLoop() && this.wakeupPending.compareAndSet(false, true)) {
			this.selector.wakeup();
		}
	}

	/** Takes over an accepted socket. Any thread. */
	void adopt(SocketChannel channel, PortListenerImpl listener) {
		execute(() -> register(channel, listener));
	}

	private void register(SocketChannel channel, PortListenerImpl listener) {
		try {
			if (this.stopping) {
				channel.close();
				this.server.onConnectionClosed();
				return;
			}
			channel.configureBlocking(false);
			channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
			InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
			Connection connection = new Connection(this, channel, listener, remote);
			SelectionKey key = channel.register(this.selector, SelectionKey.OP_READ, connection);
			connection.attach(key);
			this.connections.add(connection);
		}
		catch (IOException | RuntimeException ex) {
			// a TLS context that cannot make an engine lands here too
			log.log(Level.FINE, "could not register an accepted connection", ex);
			try {
				channel.close();
			}
			catch (IOException closing) {
				// it is gone either way
			}
			this.server.onConnectionClosed();
		}
	}

	void onClosed(Connection connection) {
		if (this.connections.remove(connection)) {
			this.server.onConnectionClosed();
		}
	}

	int connectionCount() {
		return this.connections.size();
	}

	/**
	 * Stops taking new requests: idle connections close now, busy ones after their
	 * response.
	 */
	void beginStop() {
		execute(() -> {
			this.stopping = true;
			for (Connection c : new ArrayList<>(this.connections)) {
				c.onServerStopping();
			}
		});
	}

	/** Closes every connection and ends the thread. */
	void terminate() {
		execute(() -> {
			for (Connection c : new ArrayList<>(this.connections)) {
				c.abort("server stopped");
			}
			this.running = false;
		});
	}

	boolean awaitTermination(long millis) throws InterruptedException {
		return this.terminated.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
	}

	@Override
	public void run() {
		this.creations.bindToThisThread();
		try {
			while (this.running) {
				this.creations.newPass();
				if (this.creations.hasDeferred()) {
					this.selector.selectNow(this::onSelected);
				}
				else {
					this.selector.select(this::onSelected, 100);
				}
				this.wakeupPending.set(false);
				this.now = this.clock.getAsLong();
				runTasks();
				if (this.now - this.nextTick >= 0) {
					this.nextTick = this.now + TICK_NANOS;
					sweepTimeouts();
				}
			}
		}
		catch (ClosedSelectorException ex) {
			// closed while stopping
		}
		catch (IOException | RuntimeException ex) {
			log.log(Level.SEVERE, "event loop " + this.thread.getName() + " failed", ex);
		}
		finally {
			this.creations.unbind();
			for (Connection c : new ArrayList<>(this.connections)) {
				c.close();
			}
			try {
				this.selector.close();
			}
			catch (IOException ex) {
				// stopping anyway
			}
			this.terminated.countDown();
		}
	}

	private void onSelected(SelectionKey key) {
		this.now = this.clock.getAsLong();
		Connection connection = (Connection) key.attachment();
		try {
			if (key.isValid() && key.isWritable()) {
				connection.onWritable();
			}
			if (key.isValid() && key.isReadable()) {
				connection.onReadable();
			}
		}
		catch (RuntimeException ex) {
			// one bad connection must never stop the loop
			log.log(Level.WARNING, "connection failed unexpectedly", ex);
			connection.close();
		}
	}

	private void runTasks() {
		Runnable task;
		int budget = 4096;
		while (budget-- > 0 && (task = this.tasks.poll()) != null) {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				log.log(Level.WARNING, "task failed on " + this.thread.getName(), ex);
			}
		}
		if (!this.tasks.isEmpty()) {
			this.selector.wakeup();
		}
	}

	private void sweepTimeouts() {
		if (this.connections.isEmpty()) {
			return;
		}
		for (Iterator<Connection> it = new ArrayList<>(this.connections).iterator(); it.hasNext();) {
			it.next().checkTimeout(this.timeouts, this.now);
		}
	}

}
