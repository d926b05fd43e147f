package io.evhttp.internal.http;

import java.nio.charset.StandardCharsets;

/**
 * Shares the String of well-known head tokens instead of allocating one per request. A
 * match is exact: a spelling that differs in case keeps its own String, so logs show what
 * the client sent (methods are case-sensitive anyway, RFC 9110 §9.1).
 */
public final class KnownStrings {

	static final KnownStrings METHODS = new KnownStrings("GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS", "PATCH");

	static final KnownStrings HEADER_NAMES = new KnownStrings("Host", "User-Agent", "Accept", "Content-Length",
			"Content-Type", "Connection", "Transfer-Encoding", "Expect", "Accept-Encoding", "Accept-Language", "Cookie",
			"Origin", "Referer", "Cache-Control", "X-Real-IP", "X-Forwarded-For", "Pragma");

	/** A form part's header names, as every browser writes them. */
	public static final KnownStrings PART_HEADER_NAMES = new KnownStrings("Content-Disposition", "Content-Type");

	private final String[] strings;

	private final byte[][] bytes;

	private KnownStrings(String... strings) {
		this.strings = strings;
		this.bytes = new byte[strings.length][];
		for (int i = 0; i < strings.length; i++) {
			this.bytes[i] = strings[i].getBytes(StandardCharsets.US_ASCII);
		}
	}

	/** The shared String for {@code a[off, off + len)}, or a new one. */
	public String intern(byte[] a, int off, int len) {
		for (int i = 0; i < this.bytes.length; i++) {
			if (ByteStrings.equals(this.bytes[i], a, off, len, false)) {
				return this.strings[i];
			}
		}
		return new String(a, off, len, StandardCharsets.US_ASCII);
	}

}
