package io.evhttp.server;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The thread that accepts connections on every listener and hands each to an event loop
 * in turn.
 *
 * <p>
 * When the process runs out of file descriptors (EMFILE), or the open connections reach
 * {@code maxConnections}, accepting pauses instead of spinning or failing: waiting
 * clients stay in the kernel's backlog. It resumes when a connection closes, and retries
 * at least every second.
 */
final class Acceptor implements Runnable {

	private static final Logger log = Logger.getLogger(Acceptor.class.getName());

	/** How long a paused accept waits before trying again when no connection closed. */
	private static final long RETRY_NANOS = 1_000_000_000L;

	private final EvServer server;

	private final Selector selector;

	private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final Thread thread;

	private final CountDownLatch terminated = new CountDownLatch(1);

	private volatile boolean running = true;

	private boolean paused;

	/** When a paused accept is tried again even if no connection closed (nanoTime). */
	private long retryAt;

	private int next;

	Acceptor(EvServer server) throws IOException {
		this.server = server;
		this.selector = Selector.open();
		this.thread = new Thread(this, "evhttp-acceptor");
	}

	void start() {
		this.thread.start();
	}

	void register(PortListenerImpl listener, ServerSocketChannel channel) {
		execute(() -> {
			try {
				channel.register(this.selector, this.paused ? 0 : SelectionKey.OP_ACCEPT, listener);
			}
			catch (IOException ex) {
				log.log(Level.WARNING, "cannot accept on " + listener, ex);
			}
		});
	}

	void unregister(ServerSocketChannel channel) {
		if (!this.thread.isAlive()) {
			// not started, or ended: nobody else uses the selector
			unbind(channel);
			return;
		}
		execute(() -> unbind(channel));
	}

	private void unbind(ServerSocketChannel channel) {
		SelectionKey key = channel.keyFor(this.selector);
		if (key != null) {
			key.cancel();
		}
		try {
			channel.close();
		}
		catch (IOException ex) {
			// unbound either way
		}
	}

	/** Releases the selector of an acceptor that was never started. */
	void closeUnstarted() {
		if (this.thread.getState() == Thread.State.NEW) {
			try {
				this.selector.close();
			}
			catch (IOException ex) {
				// released either way
			}
		}
	}

	/** A connection closed: accepting may resume. Any thread. */
	void onConnectionClosed() {
		if (this.paused) {
			execute(this::resume);
		}
	}

	void shutdown() {
		execute(() -> this.running = false);
	}

	boolean awaitTermination(long millis) throws InterruptedException {
		return this.terminated.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
	}

	private void execute(Runnable task) {
		this.tasks.add(task);
		this.selector.wakeup();
	}

	@Override
	public void run() {
		try {
			while (this.running) {
				this.selector.select(this::onAcceptable, 1000);
				Runnable task;
				while ((task = this.tasks.poll()) != null) {
					task.run();
				}
				if (this.paused && System.nanoTime() - this.retryAt >= 0) {
					resume();
				}
			}
		}
		catch (ClosedSelectorException ex) {
			// stopping
		}
		catch (IOException | RuntimeException ex) {
			log.log(Level.SEVERE, "acceptor failed", ex);
		}
		finally {
			for (SelectionKey key : this.selector.keys()) {
				try {
					key.channel().close();
				}
				catch (IOException ex) {
					// stopping anyway
				}
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

	private void onAcceptable(SelectionKey key) {
		ServerSocketChannel server = (ServerSocketChannel) key.channel();
		PortListenerImpl listener = (PortListenerImpl) key.attachment();
		while (!this.paused) {
			if (!this.server.reserveConnection()) {
				pause("connection cap of " + this.server.options().network().maxConnections() + " reached");
				return;
			}
			SocketChannel channel;
			try {
				channel = server.accept();
			}
			catch (IOException ex) {
				this.server.onConnectionRefused();
				if (String.valueOf(ex.getMessage()).contains("Too many open files")) {
					pause("out of file descriptors");
				}
				else {
					log.log(Level.FINE, "accept failed", ex);
				}
				return;
			}
			if (channel == null) {
				this.server.onConnectionRefused();
				return;
			}
			EventLoop[] loops = this.server.loops();
			loops[this.next++ % loops.length].adopt(channel, listener);
		}
	}

	private void pause(String reason) {
		log.log(Level.WARNING, () -> "pausing accept: " + reason);
		this.paused = true;
		this.retryAt = System.nanoTime() + RETRY_NANOS;
		setInterest(0);
	}

	/**
	 * Accepts again, unless the connection cap still holds (then retries in a second).
	 */
	private void resume() {
		if (!this.paused) {
			return;
		}
		if (this.server.hasConnectionRoom()) {
			this.paused = false;
			setInterest(SelectionKey.OP_ACCEPT);
		}
		else {
			this.retryAt = System.nanoTime() + RETRY_NANOS;
		}
	}

	private void setInterest(int ops) {
		for (SelectionKey key : this.selector.keys()) {
			if (key.isValid()) {
				key.interestOps(ops);
			}
		}
	}

}
