package io.evhttp.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * The TLS layer of one connection: an {@link SSLEngine} between the socket and the
 * plaintext the parsers read and the output queue writes. Event loop only.
 *
 * <p>
 * Reads decrypt straight into the caller's buffer (the loop's read buffer), so the body
 * path sees plaintext exactly as in cleartext and nothing is allocated per read; the
 * ciphertext waits in one buffer per direction. Writes encrypt a record at a time and
 * report only the plaintext they took, so the output queue keeps its meaning; ciphertext
 * the socket did not take yet stays in {@code netOut}, and the connection asks for
 * writability while it does. The handshake is driven from reads: the engine's delegated
 * tasks run on the task executor, reading stops meanwhile, and {@code onReady} is called
 * on the loop when they are done. Renegotiation (TLS 1.2 and below) is refused by
 * closing; a request in cleartext gets a cleartext 400, as Tomcat answers.
 *
 * <p>
 * When the certificate depends on the server name the client asks for (SNI), the engine
 * is made only once the ClientHello is in {@code netIn}: a {@link ClientHelloPeek} reads
 * the name there without consuming it, and the engine made for that name then reads the
 * same bytes.
 */
final class TlsIo implements GatheringByteChannel {

	private static final ByteBuffer[] NONE = { ByteBuffer.allocate(0) };

	private static final byte[] PLAIN_HTTP_ANSWER = ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
			+ "Content-Length: 39\r\nConnection: close\r\n\r\nThis port expects HTTPS (TLS) requests\n")
		.getBytes(StandardCharsets.US_ASCII);

	private static final int FILE_CHUNK = 16 * 1024;

	/** Room for a whole decrypted record (at most 16 KiB) and then some. */
	static final int MIN_READ_BUFFER_BYTES = 32 * 1024;

	private final SocketChannel channel;

	private final TlsOptions options;

	private final InetSocketAddress peer;

	/** {@code null} until the ClientHello chose it (SNI). */
	private SSLEngine engine;

	/** Looks for the server name until the engine is made; then {@code null}. */
	private ClientHelloPeek peek;

	private final Executor tasks;

	private final Executor loop;

	private final Runnable onReady;

	/** Ciphertext read, not yet decrypted: write mode. */
	private final ByteBuffer netIn;

	/** Ciphertext encrypted, not yet written: write mode. */
	private final ByteBuffer netOut;

	/** File bytes on their way to encryption, for {@code sendFile}. */
	private ByteBuffer fileBuffer;

	private boolean handshakeDone;

	private boolean taskRunning;

	/** Whether the last read stopped with whole records left in {@code netIn}. */
	private boolean moreInput;

	private boolean readScheduled;

	private boolean inputClosed;

	private boolean sawInput;

	/** The engine failed: nothing more is written through it. */
	private boolean failed;

	TlsIo(SocketChannel channel, TlsOptions options, InetSocketAddress peer, Executor loop, Runnable onReady) {
		this.channel = channel;
		this.options = options;
		this.peer = peer;
		this.tasks = options.taskExecutor();
		this.loop = loop;
		this.onReady = onReady;
		int packet;
		if (options.hasServerNames()) {
			this.peek = new ClientHelloPeek();
			packet = options.packetBufferSize();
		}
		else {
			this.engine = options.newEngine(peer, null);
			packet = this.engine.getSession().getPacketBufferSize();
		}
		this.netIn = ByteBuffer.allocate(2 * packet);
		this.netOut = ByteBuffer.allocate(packet);
	}

	/** The session; its peer is known once the handshake is done. */
	SSLSession session() {
		return this.engine.getSession();
	}

	boolean isHandshaking() {
		return !this.handshakeDone;
	}

	/** Whether a delegated task is running: reading waits for it. */
	boolean isBusy() {
		return this.taskRunning;
	}

	boolean hasPendingOutput() {
		return this.netOut.position() > 0;
	}

	/**
	 * Decrypts what arrived into {@code dst} (write mode, position advanced), reading the
	 * socket until it has nothing more or {@code dst} cannot take another record, and
	 * going on with the handshake on the way.
	 * @return plaintext bytes produced; -1 at the end of input when none were
	 */
	int read(ByteBuffer dst) throws IOException {
		int start = dst.position();
		boolean eof = false;
		this.moreInput = false;
		try {
			if (this.engine == null) {
				int n = chooseEngine();
				if (n <= 0) {
					return n;
				}
			}
			loop: while (!this.taskRunning && !this.inputClosed) {
				HandshakeStatus hs = this.engine.getHandshakeStatus();
				if (hs == HandshakeStatus.NEED_TASK) {
					runTasks();
					break;
				}
				if (hs == HandshakeStatus.NEED_WRAP) {
					// after what is pending: netOut has room for one whole record only
					if (!flush()) {
						break; // the rest when writable
					}
					wrap(NONE, 0, 1);
					continue;
				}
				this.netIn.flip();
				SSLEngineResult r;
				try {
					r = this.engine.unwrap(this.netIn, dst);
				}
				finally {
					this.netIn.compact();
				}
				switch (r.getStatus()) {
					case OK -> {
						checkHandshake(r.getHandshakeStatus());
						if (r.bytesConsumed() == 0 && r.bytesProduced() == 0 && r.getHandshakeStatus() == hs) {
							break loop;
						}
					}
					case BUFFER_UNDERFLOW -> {
						if (!this.netIn.hasRemaining()) {
							throw new SSLException("TLS record larger than " + this.netIn.capacity() + " bytes");
						}
						int n = fill();
						if (n < 0) {
							eof = true;
							break loop;
						}
						if (n == 0) {
							break loop;
						}
					}
					case BUFFER_OVERFLOW -> {
						if (dst.position() == start) {
							throw new SSLException("read buffer of " + dst.remaining() + " bytes under a TLS record");
						}
						this.moreInput = true;
						break loop;
					}
					case CLOSED -> this.inputClosed = true;
				}
			}
		}
		catch (SSLException ex) {
			failWithAlert();
			throw ex;
		}
		int produced = dst.position() - start;
		return (produced > 0) ? produced : (eof || this.inputClosed) ? -1 : 0;
	}

	/**
	 * Reads until the ClientHello tells which certificate the client wants, then makes
	 * the engine with it.
	 * @return 1 once the engine is made, else what the last read returned (0: wait)
	 */
	private int chooseEngine() throws IOException {
		while (!this.peek.peek(this.netIn)) {
			int n = fill();
			if (n <= 0) {
				return n;
			}
		}
		String serverName = this.peek.serverName();
		this.peek = null;
		try {
			this.engine = this.options.newEngine(this.peer, serverName);
		}
		catch (RuntimeException ex) {
			throw new SSLException("no TLS context for server name " + serverName, ex);
		}
		return 1;
	}

	/** Reads ciphertext into {@code netIn}; turns away cleartext HTTP at first sight. */
	private int fill() throws IOException {
		int n = this.channel.read(this.netIn);
		if (n > 0 && !this.sawInput) {
			this.sawInput = true;
			byte first = this.netIn.get(0);
			if (first >= 'A' && first <= 'Z') {
				this.failed = true;
				this.channel.write(ByteBuffer.wrap(PLAIN_HTTP_ANSWER));
				this.channel.shutdownOutput();
				throw new SSLException("plain HTTP on a TLS port");
			}
		}
		return n;
	}

	private void checkHandshake(HandshakeStatus status) throws SSLException {
		if (status == HandshakeStatus.FINISHED) {
			this.handshakeDone = true;
		}
		else if (this.handshakeDone && status != HandshakeStatus.NOT_HANDSHAKING
				&& !"TLSv1.3".equals(this.engine.getSession().getProtocol())) {
			throw new SSLException("renegotiation refused");
		}
	}

	private void runTasks() {
		this.taskRunning = true;
		Runnable run = () -> {
			try {
				Runnable task;
				while ((task = this.engine.getDelegatedTask()) != null) {
					task.run();
				}
			}
			finally {
				this.loop.execute(() -> {
					this.taskRunning = false;
					this.onReady.run();
				});
			}
		};
		try {
			this.tasks.execute(run);
		}
		catch (RejectedExecutionException ex) {
			run.run(); // the executor is gone: finish here rather than never
		}
	}

	/**
	 * Asks the loop for another read when whole records wait in {@code netIn}: the socket
	 * will not say so, their bytes were read already.
	 */
	void scheduleReadIfBuffered() {
		if (this.moreInput && !this.readScheduled && !this.taskRunning) {
			this.readScheduled = true;
			this.loop.execute(() -> {
				this.readScheduled = false;
				this.onReady.run();
			});
		}
	}

	/**
	 * After pending ciphertext went out: the handshake goes on from the read path when it
	 * stopped there for want of room.
	 */
	void resumeHandshake() {
		if (!this.readScheduled && !this.taskRunning && !this.failed && this.engine != null
				&& this.engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
			this.readScheduled = true;
			this.loop.execute(() -> {
				this.readScheduled = false;
				this.onReady.run();
			});
		}
	}

	// ---- writing

	/**
	 * Encrypts what the socket can take now from {@code srcs}.
	 * @return plaintext bytes taken
	 */
	@Override
	public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
		long taken = 0;
		while (flush() && remaining(srcs, offset, length)) {
			SSLEngineResult r = wrap(srcs, offset, length);
			taken += r.bytesConsumed();
			if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
				break;
			}
		}
		flush();
		return taken;
	}

	@Override
	public long write(ByteBuffer[] srcs) throws IOException {
		return write(srcs, 0, srcs.length);
	}

	@Override
	public int write(ByteBuffer src) throws IOException {
		return (int) write(new ByteBuffer[] { src }, 0, 1);
	}

	/**
	 * The reused buffer file bytes go through on their way to encryption (no
	 * {@code transferTo} under TLS). Read mode; the caller refills it when empty.
	 */
	ByteBuffer fileBuffer() {
		if (this.fileBuffer == null) {
			this.fileBuffer = ByteBuffer.allocate(FILE_CHUNK).flip();
		}
		return this.fileBuffer;
	}

	/** Forgets file bytes read and not sent: their file is no longer sent. */
	void dropFileBytes() {
		if (this.fileBuffer != null) {
			this.fileBuffer.clear().flip();
		}
	}

	private SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length) throws IOException {
		if (this.failed || this.engine == null) {
			throw new SSLException("TLS failed");
		}
		SSLEngineResult r = this.engine.wrap(srcs, offset, length, this.netOut);
		if (r.getStatus() == SSLEngineResult.Status.CLOSED && r.bytesProduced() == 0) {
			throw new SSLException("TLS closed");
		}
		if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
			throw new SSLException("TLS record larger than " + this.netOut.capacity() + " bytes");
		}
		checkHandshake(r.getHandshakeStatus());
		return r;
	}

	/**
	 * Writes pending ciphertext.
	 * @return whether none is left
	 */
	boolean flush() throws IOException {
		if (this.netOut.position() > 0) {
			this.netOut.flip();
			try {
				this.channel.write(this.netOut);
			}
			finally {
				this.netOut.compact();
			}
		}
		return this.netOut.position() == 0;
	}

	private static boolean remaining(ByteBuffer[] srcs, int offset, int length) {
		for (int i = offset; i < offset + length; i++) {
			if (srcs[i].hasRemaining()) {
				return true;
			}
		}
		return false;
	}

	// ---- closing

	/** Sends the alert the engine has for a failed handshake, if the socket takes it. */
	private void failWithAlert() {
		if (this.failed) {
			return;
		}
		this.failed = true;
		if (this.engine == null) {
			return; // no engine, no alert: nothing was understood
		}
		try {
			this.engine.closeOutbound();
			this.netOut.clear();
			this.engine.wrap(NONE, this.netOut);
			flush();
		}
		catch (IOException | RuntimeException ex) {
			// the peer is wrong already
		}
	}

	/**
	 * Sends {@code close_notify} after what is pending, as far as the socket takes it
	 * now.
	 */
	void closeOutbound() {
		if (this.failed || this.engine == null || this.engine.isOutboundDone()) {
			return;
		}
		try {
			this.engine.closeOutbound();
			if (flush()) {
				this.engine.wrap(NONE, this.netOut);
				flush();
			}
		}
		catch (IOException | RuntimeException ex) {
			// closing anyway
		}
	}

	@Override
	public boolean isOpen() {
		return this.channel.isOpen();
	}

	/** Closing is the socket's: see {@link SocketIo#close}. */
	@Override
	public void close() {
		closeOutbound();
	}

}
