package io.evhttp.resumable;

import io.evhttp.server.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A complete upload's bytes streamed from its store to a client that is not a local file
 * away: read a buffer at a time on the executor, written while the response takes more,
 * resumed from {@link Response#onWritable}. Never whole on the heap.
 */
final class Download {

	private static final Logger log = Logger.getLogger(Download.class.getName());

	private static final int BUFFER = 64 * 1024;

	private final InputStream in;

	private final Response response;

	private final Executor executor;

	private Download(InputStream in, Response response, Executor executor) {
		this.in = in;
		this.response = response;
		this.executor = executor;
	}

	/** Sends {@code length} bytes from {@code in}, which is closed at the end. */
	static void send(InputStream in, long length, Response response, Executor executor) {
		response.header("Content-Length", Long.toString(length));
		new Download(in, response, executor).pump();
	}

	private void pump() {
		try {
			while (!this.response.isClosed()) {
				byte[] chunk = this.in.readNBytes(BUFFER);
				if (chunk.length == 0) {
					break;
				}
				if (!this.response.write(ByteBuffer.wrap(chunk))) {
					this.response.onWritable(() -> this.executor.execute(this::pump));
					return;
				}
			}
			this.response.end();
			close();
		}
		catch (IOException | RuntimeException ex) {
			log.log(Level.WARNING, "download failed midway", ex);
			close();
			this.response.end(); // short of its Content-Length: the connection closes
		}
	}

	private void close() {
		try {
			this.in.close();
		}
		catch (IOException ex) {
			log.log(Level.FINE, "closing a download", ex);
		}
	}

}
