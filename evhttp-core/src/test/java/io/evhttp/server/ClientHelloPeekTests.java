package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/**
 * The server name is read from real ClientHellos (made by the JDK's client engine)
 * however they are cut, and anything else decides "no name" without waiting for more.
 */
class ClientHelloPeekTests {

	private static final int BUFFER = 2 * 16709;

	/** A ClientHello record as the JDK's client sends it; {@code null}: no SNI. */
	static byte[] clientHello(String serverName) throws Exception {
		SSLEngine engine = SSLContext.getDefault().createSSLEngine("client.invalid", 443);
		engine.setUseClientMode(true);
		SSLParameters params = engine.getSSLParameters();
		params.setServerNames((serverName != null) ? List.of(new SNIHostName(serverName)) : List.of());
		engine.setSSLParameters(params);
		ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
		engine.wrap(ByteBuffer.allocate(0), out);
		return Arrays.copyOf(out.array(), out.position());
	}

	/** Feeds {@code bytes} into a read buffer up to {@code end}, as the socket would. */
	private static boolean peekUpTo(ClientHelloPeek peek, ByteBuffer in, byte[] bytes, int end) {
		in.put(bytes, in.position(), end - in.position());
		return peek.peek(in);
	}

	@Test
	void serverNameIsReadWhateverTheSplit() throws Exception {
		byte[] hello = clientHello("api.example.com");
		for (int split = 1; split < hello.length; split++) {
			ClientHelloPeek peek = new ClientHelloPeek();
			ByteBuffer in = ByteBuffer.allocate(BUFFER);
			assertThat(peekUpTo(peek, in, hello, split)).as("split at %d", split).isFalse();
			assertThat(peekUpTo(peek, in, hello, hello.length)).as("split at %d", split).isTrue();
			assertThat(peek.serverName()).as("split at %d", split).isEqualTo("api.example.com");
			assertThat(in.position()).isEqualTo(hello.length);
		}
	}

	@Test
	void serverNameIsReadOneByteAtATimeAndOnlyOnceWhole() throws Exception {
		byte[] hello = clientHello("one.example");
		ClientHelloPeek peek = new ClientHelloPeek();
		ByteBuffer in = ByteBuffer.allocate(BUFFER);
		for (int end = 1; end < hello.length; end++) {
			assertThat(peekUpTo(peek, in, hello, end)).as("after %d bytes", end).isFalse();
		}
		assertThat(peekUpTo(peek, in, hello, hello.length)).isTrue();
		assertThat(peek.serverName()).isEqualTo("one.example");
	}

	@Test
	void serverNameIsLowerCased() throws Exception {
		assertThat(decide(clientHello("API.Example.COM")).serverName()).isEqualTo("api.example.com");
	}

	@Test
	void helloWithoutServerNameDecidesNone() throws Exception {
		ClientHelloPeek peek = decide(clientHello(null));
		assertThat(peek.serverName()).isNull();
	}

	@Test
	void helloSplitOverTwoRecordsIsGathered() throws Exception {
		byte[] hello = clientHello("two.example");
		int body = hello.length - 5;
		int first = body / 3;
		ByteBuffer records = ByteBuffer.allocate(hello.length + 5);
		records.put(new byte[] { 22, 3, 1, (byte) (first >> 8), (byte) first }).put(hello, 5, first);
		int second = body - first;
		records.put(new byte[] { 22, 3, 1, (byte) (second >> 8), (byte) second }).put(hello, 5 + first, second);
		byte[] both = records.array();
		ClientHelloPeek peek = new ClientHelloPeek();
		ByteBuffer in = ByteBuffer.allocate(BUFFER);
		assertThat(peekUpTo(peek, in, both, 5 + first)).isFalse();
		assertThat(peekUpTo(peek, in, both, both.length - 1)).isFalse();
		assertThat(peekUpTo(peek, in, both, both.length)).isTrue();
		assertThat(peek.serverName()).isEqualTo("two.example");
	}

	@Test
	void anotherRecordTypeDecidesNoneAtOnce() {
		ClientHelloPeek peek = new ClientHelloPeek();
		ByteBuffer in = ByteBuffer.allocate(BUFFER).put(new byte[] { 23, 3, 3, 0, 10 });
		assertThat(peek.peek(in)).isTrue();
		assertThat(peek.serverName()).isNull();
	}

	@Test
	void oversizedRecordDecidesNoneAtOnce() {
		ClientHelloPeek peek = new ClientHelloPeek();
		ByteBuffer in = ByteBuffer.allocate(BUFFER).put(new byte[] { 22, 3, 3, 0x48, 0x01 });
		assertThat(peek.peek(in)).isTrue();
		assertThat(peek.serverName()).isNull();
	}

	@Test
	void helloLongerThanTheBufferDecidesNone() {
		ClientHelloPeek peek = new ClientHelloPeek();
		// a hello of 16 MiB announced in a record of 8 bytes
		ByteBuffer in = ByteBuffer.allocate(BUFFER)
			.put(new byte[] { 22, 3, 3, 0, 8, 1, (byte) 0xff, 0, 0, 0, 0, 0, 0 });
		assertThat(peek.peek(in)).isTrue();
		assertThat(peek.serverName()).isNull();
	}

	@Test
	void recordsThatWouldNotFitTheBufferDecideNone() {
		ClientHelloPeek peek = new ClientHelloPeek();
		ByteBuffer in = ByteBuffer.allocate(64).put(new byte[] { 22, 3, 3, 0x10, 0 });
		assertThat(peek.peek(in)).isTrue();
		assertThat(peek.serverName()).isNull();
	}

	@Test
	void malformedExtensionsDecideNone() throws Exception {
		byte[] hello = clientHello("one.example");
		// the extensions' length, after the header (9), version and random (34), session
		// id,
		// cipher suites and compression methods, claims more than the hello holds
		int at = 9 + 34;
		at += 1 + (hello[at] & 0xff);
		at += 2 + ((hello[at] & 0xff) << 8 | hello[at + 1] & 0xff);
		at += 1 + (hello[at] & 0xff);
		hello[at] = (byte) 0xff;
		ClientHelloPeek peek = decide(hello);
		assertThat(peek.serverName()).isNull();
	}

	@Test
	void garbageInAHandshakeRecordDecidesNone() {
		byte[] garbage = HttpServerTests.randomBytes(32, 5);
		garbage[0] = 1; // claims to be a ClientHello
		garbage[1] = 0;
		garbage[2] = 0;
		garbage[3] = 28;
		ByteBuffer in = ByteBuffer.allocate(BUFFER).put(new byte[] { 22, 3, 3, 0, 32 }).put(garbage);
		ClientHelloPeek peek = new ClientHelloPeek();
		assertThat(peek.peek(in)).isTrue();
		assertThat(peek.serverName()).isNull();
	}

	private static ClientHelloPeek decide(byte[] hello) {
		ClientHelloPeek peek = new ClientHelloPeek();
		ByteBuffer in = ByteBuffer.allocate(BUFFER).put(hello);
		assertThat(peek.peek(in)).isTrue();
		return peek;
	}

}
