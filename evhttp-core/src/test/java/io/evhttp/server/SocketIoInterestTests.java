package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Read interest on a real socket: a pause in reading leaves it on (a request answered
 * before the client sends again changes no interest), the socket turning readable during
 * the pause takes it off, and writing waits are asked for at once.
 */
class SocketIoInterestTests {

	private ServerSocketChannel listener;

	private SocketChannel client;

	private SocketChannel accepted;

	private Selector selector;

	private SocketIo io;

	private SelectionKey key;

	@BeforeEach
	void connect() throws IOException {
		this.listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		this.client = SocketChannel.open(this.listener.getLocalAddress());
		this.accepted = this.listener.accept();
		this.accepted.configureBlocking(false);
		this.selector = Selector.open();
		this.key = this.accepted.register(this.selector, SelectionKey.OP_READ);
		this.io = new SocketIo(this.accepted, new ConnectionTimes(), null);
		this.io.attach(this.key);
	}

	@AfterEach
	void close() throws IOException {
		this.selector.close();
		this.accepted.close();
		this.client.close();
		this.listener.close();
	}

	@Test
	void aPauseInReadingLeavesTheInterestOnUntilItIsDropped() {
		this.io.interest(false);
		assertThat(this.io.wantsRead()).isFalse();
		assertThat(this.key.interestOps()).isEqualTo(SelectionKey.OP_READ);
		this.io.interest(true);
		assertThat(this.key.interestOps()).isEqualTo(SelectionKey.OP_READ);
		this.io.interest(false);
		this.io.dropReadInterest();
		assertThat(this.key.interestOps()).isZero();
		this.io.interest(false);
		assertThat(this.key.interestOps()).isZero();
		this.io.interest(true);
		assertThat(this.key.interestOps()).isEqualTo(SelectionKey.OP_READ);
	}

	@Test
	void bytesWaitingToBeWrittenAskForWritabilityAndDropAStaleReadInterest() throws IOException {
		fillClientWindow();
		this.io.enqueue(ByteBuffer.wrap(new byte[4 * 1024 * 1024]));
		assertThat(this.io.write(0)).isFalse();
		this.io.interest(false);
		assertThat(this.key.interestOps()).isEqualTo(SelectionKey.OP_WRITE);
		this.io.interest(true);
		assertThat(this.key.interestOps()).isEqualTo(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
	}

	@Test
	void readsWhatTheClientSentOnceReadingResumes() throws IOException {
		this.io.interest(false);
		this.io.dropReadInterest();
		this.client.write(ByteBuffer.wrap("GET".getBytes(StandardCharsets.US_ASCII)));
		this.io.interest(true);
		ByteBuffer buf = ByteBuffer.allocate(16);
		int n = 0;
		while (n == 0) {
			assertThat(this.selector.select(5000)).isEqualTo(1); // readable, not a
																	// timeout
			this.selector.selectedKeys().clear();
			n = this.io.read(buf);
		}
		assertThat(StandardCharsets.US_ASCII.decode(buf).toString()).isEqualTo("GET");
	}

	/** Makes the server side's writes stop short: the client reads nothing. */
	private void fillClientWindow() throws IOException {
		ByteBuffer chunk = ByteBuffer.allocate(256 * 1024);
		while (this.accepted.write(chunk) > 0) {
			chunk.clear();
		}
	}

}
