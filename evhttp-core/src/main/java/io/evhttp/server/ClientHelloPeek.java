package io.evhttp.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Finds the server name a client asks for (the {@code server_name} extension, RFC 6066
 * section 3) in its ClientHello while the bytes still wait for a TLS engine, so that the
 * engine can be made from the certificate for that name. Event loop only; one per
 * connection, used until it has decided.
 *
 * <p>
 * The ClientHello may arrive over any number of reads and, as RFC 8446 section 5.1
 * allows, over several handshake records; the peek looks again only once the record it
 * waits for is whole. Anything that is not a well-formed ClientHello (another record
 * type, an oversized record, a hello that would not fit the buffer, a malformed one)
 * decides "no name": the default engine then reads the same bytes and fails the handshake
 * as it would have anyway.
 */
final class ClientHelloPeek {

	private static final int RECORD_HEADER = 5;

	private static final byte HANDSHAKE = 22;

	private static final byte CLIENT_HELLO = 1;

	/** The largest plaintext record (RFC 8446 section 5.1). */
	private static final int MAX_RECORD = 1 << 14;

	private static final int SERVER_NAME = 0;

	private static final int HOST_NAME = 0;

	/** Bytes the next look needs, counted from the buffer's start. */
	private int needed = RECORD_HEADER;

	private boolean decided;

	private String serverName;

	/**
	 * Looks at the bytes {@code [0, position)} of {@code in} (write mode); leaves its
	 * position and limit alone.
	 * @return whether the peek has decided; then {@link #serverName()} holds its answer
	 */
	boolean peek(ByteBuffer in) {
		if (!this.decided && in.position() >= this.needed) {
			scan(in);
		}
		return this.decided;
	}

	/**
	 * The host name asked for, in lower case; {@code null}: none, or not a ClientHello.
	 */
	String serverName() {
		return this.serverName;
	}

	/** Walks the records read so far, gathering the ClientHello's fragments. */
	private void scan(ByteBuffer in) {
		int end = in.position();
		byte[] hello = null;
		int filled = 0;
		int at = 0;
		while (true) {
			if (end < at + RECORD_HEADER) {
				waitFor(at + RECORD_HEADER, in.capacity());
				return;
			}
			int length = u16(in, at + 3);
			if (in.get(at) != HANDSHAKE || length == 0 || length > MAX_RECORD) {
				decide(null);
				return;
			}
			int from = at + RECORD_HEADER;
			int to = from + length;
			if (end < to) {
				waitFor(to, in.capacity());
				return;
			}
			if (hello == null) {
				// the handshake header is in the first record: 4 bytes, as every client
				// sends it
				if (length < 4 || in.get(from) != CLIENT_HELLO) {
					decide(null);
					return;
				}
				int helloLength = (in.get(from + 1) & 0xff) << 16 | u16(in, from + 2);
				if (helloLength > in.capacity()) {
					decide(null);
					return;
				}
				hello = new byte[helloLength];
				from += 4;
			}
			int n = Math.min(to - from, hello.length - filled);
			in.get(from, hello, filled, n);
			filled += n;
			if (filled == hello.length) {
				decide(hostName(ByteBuffer.wrap(hello)));
				return;
			}
			at = to;
		}
	}

	private void waitFor(int bytes, int capacity) {
		if (bytes > capacity) {
			decide(null);
		}
		else {
			this.needed = bytes;
		}
	}

	private void decide(String name) {
		this.decided = true;
		this.serverName = name;
	}

	/**
	 * The first host name of the ClientHello body {@code hello} (RFC 8446 section 4.1.2),
	 * {@code null} when there is none or the body is malformed. Advances {@code hello}'s
	 * position.
	 */
	private static String hostName(ByteBuffer hello) {
		if (!skip(hello, 2 + 32) || !skip(hello, u8(hello)) || !skip(hello, u16(hello)) || !skip(hello, u8(hello))) {
			return null; // version and random, session id, cipher suites, compression
							// methods
		}
		if (!narrow(hello, u16(hello))) {
			return null; // no extensions
		}
		while (hello.remaining() >= 4) {
			int type = u16(hello);
			int length = u16(hello);
			if (type == SERVER_NAME) {
				return narrow(hello, length) && narrow(hello, u16(hello)) ? firstHostName(hello) : null;
			}
			if (!skip(hello, length)) {
				return null;
			}
		}
		return null;
	}

	/** The first {@code host_name} entry of a {@code ServerNameList}'s entries. */
	private static String firstHostName(ByteBuffer list) {
		while (list.remaining() >= 3) {
			int type = u8(list);
			int length = u16(list);
			if (length > list.remaining()) {
				return null;
			}
			if (type == HOST_NAME && length > 0) {
				byte[] name = new byte[length];
				list.get(name);
				return new String(name, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
			}
			list.position(list.position() + length);
		}
		return null;
	}

	/** Limits {@code buf} to its next {@code length} bytes, if it holds that many. */
	private static boolean narrow(ByteBuffer buf, int length) {
		if (length < 0 || length > buf.remaining()) {
			return false;
		}
		buf.limit(buf.position() + length);
		return true;
	}

	private static boolean skip(ByteBuffer buf, int length) {
		if (length < 0 || length > buf.remaining()) {
			return false;
		}
		buf.position(buf.position() + length);
		return true;
	}

	/** The next byte, or -1 when none is left. */
	private static int u8(ByteBuffer buf) {
		return buf.hasRemaining() ? buf.get() & 0xff : -1;
	}

	/** The next two bytes, big-endian, or -1 when fewer are left. */
	private static int u16(ByteBuffer buf) {
		return (buf.remaining() >= 2) ? buf.getShort() & 0xffff : -1;
	}

	private static int u16(ByteBuffer buf, int at) {
		return (buf.get(at) & 0xff) << 8 | buf.get(at + 1) & 0xff;
	}

}
