package io.evhttp.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP front for S3Proxy that passes bytes through until {@link #answer503() armed}:
 * then it cuts every open connection and answers each new one with S3's {@code 503
 * SlowDown}, as an overloaded S3 does, until {@link #passThrough()}.
 */
final class FaultyS3Front implements AutoCloseable {

	private static final String ERROR = "<Error><Code>SlowDown</Code><Message>Please reduce your request rate."
			+ "</Message></Error>";

	private static final byte[] SLOW_DOWN = ("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\n"
			+ "Content-Length: " + ERROR.length() + "\r\nConnection: close\r\n\r\n" + ERROR)
		.getBytes(StandardCharsets.US_ASCII);

	private final ServerSocket listener;

	private final int target;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final AtomicInteger refused = new AtomicInteger();

	private volatile boolean failing;

	FaultyS3Front(int target) throws IOException {
		this.target = target;
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread accept = new Thread(this::accept, "faulty-s3-front");
		accept.setDaemon(true);
		accept.start();
	}

	URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.listener.getLocalPort());
	}

	/** Cuts the open connections; every new one gets 503 SlowDown. */
	void answer503() {
		this.failing = true;
		for (Socket socket : this.open) {
			closeQuietly(socket);
		}
	}

	void passThrough() {
		this.failing = false;
	}

	/** How many connections were answered 503. */
	int refused() {
		return this.refused.get();
	}

	private void accept() {
		while (!this.listener.isClosed()) {
			try {
				Socket client = this.listener.accept();
				if (this.failing) {
					refuse(client);
					continue;
				}
				Socket server = new Socket();
				server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.target));
				this.open.add(client);
				this.open.add(server);
				pipe(client, server);
				pipe(server, client);
			}
			catch (IOException ex) {
				// closed, or S3Proxy stopped: the client sees its connection fail
			}
		}
	}

	private void refuse(Socket client) {
		this.refused.incrementAndGet();
		Thread t = new Thread(() -> {
			try (client) {
				client.setSoTimeout(5000);
				InputStream in = client.getInputStream();
				int matched = 0;
				byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
				while (matched < 4) {
					int b = in.read();
					if (b < 0) {
						return;
					}
					matched = (b == end[matched]) ? matched + 1 : (b == '\r') ? 1 : 0;
				}
				client.getOutputStream().write(SLOW_DOWN);
				client.shutdownOutput();
			}
			catch (IOException ex) {
				// the client went first
			}
		});
		t.setDaemon(true);
		t.start();
	}

	private void pipe(Socket from, Socket to) {
		Thread t = new Thread(() -> {
			try {
				InputStream in = from.getInputStream();
				OutputStream out = to.getOutputStream();
				in.transferTo(out);
			}
			catch (IOException ex) {
				// either side closed
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.open.remove(from);
				this.open.remove(to);
			}
		});
		t.setDaemon(true);
		t.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	@Override
	public void close() throws IOException {
		this.listener.close();
		for (Socket socket : this.open) {
			closeQuietly(socket);
		}
	}

}
