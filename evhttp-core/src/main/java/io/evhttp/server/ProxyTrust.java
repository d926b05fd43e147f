package io.evhttp.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which peers may name the client's address in a header, from a list of CIDRs
 * ({@code 10.0.0.0/8}, {@code ::1/128}); a bare address is a /32 or /128. Values are
 * checked to be IP literals before they are parsed, so no name is ever looked up.
 */
final class ProxyTrust {

	private record Block(byte[] network, int prefix) {

		boolean contains(byte[] address) {
			if (address.length != this.network.length) {
				return false;
			}
			int full = this.prefix / 8;
			for (int i = 0; i < full; i++) {
				if (address[i] != this.network[i]) {
					return false;
				}
			}
			int rest = this.prefix % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xFF << (8 - rest)) & 0xFF;
			return (address[full] & mask) == (this.network[full] & mask);
		}

	}

	private final List<Block> blocks;

	private ProxyTrust(List<Block> blocks) {
		this.blocks = blocks;
	}

	/**
	 * @throws IllegalArgumentException naming the entry that is not a CIDR
	 */
	static ProxyTrust of(List<String> cidrs) {
		List<Block> blocks = new ArrayList<>();
		for (String cidr : cidrs) {
			String s = cidr.trim();
			int slash = s.indexOf('/');
			InetAddress network = parseLiteral((slash < 0) ? s : s.substring(0, slash));
			if (network == null) {
				throw new IllegalArgumentException("not a CIDR: " + cidr);
			}
			int bits = network.getAddress().length * 8;
			int prefix;
			try {
				prefix = (slash < 0) ? bits : Integer.parseInt(s.substring(slash + 1));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("not a CIDR: " + cidr);
			}
			if (prefix < 0 || prefix > bits) {
				throw new IllegalArgumentException("not a CIDR: " + cidr);
			}
			blocks.add(new Block(network.getAddress(), prefix));
		}
		return new ProxyTrust(List.copyOf(blocks));
	}

	boolean trusts(InetAddress peer) {
		byte[] address = peer.getAddress();
		for (Block block : this.blocks) {
			if (block.contains(address)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The client address named by a header value sent by {@code peer}: for a list (as in
	 * {@code X-Forwarded-For}) the rightmost address not itself a trusted proxy. Falls
	 * back to the peer when it is not trusted or the value is not an address.
	 */
	String clientIp(InetAddress peer, String headerValue) {
		if (headerValue == null || !trusts(peer)) {
			return peer.getHostAddress();
		}
		String[] hops = headerValue.split(",");
		for (int i = hops.length - 1; i >= 0; i--) {
			InetAddress hop = parseLiteral(hops[i].trim());
			if (hop == null) {
				return peer.getHostAddress();
			}
			if (i == 0 || !trusts(hop)) {
				return hop.getHostAddress();
			}
		}
		return peer.getHostAddress();
	}

	/** Parses an IPv4 or IPv6 literal, or returns null; never resolves a name. */
	static InetAddress parseLiteral(String s) {
		if (s.isEmpty() || s.length() > 45) {
			return null;
		}
		String literal = (s.startsWith("[") && s.endsWith("]")) ? s.substring(1, s.length() - 1) : s;
		boolean v6 = literal.indexOf(':') >= 0;
		for (int i = 0; i < literal.length(); i++) {
			char c = literal.charAt(i);
			boolean ok = (c >= '0' && c <= '9') || c == '.' || (v6 && (c == ':' || Character.digit(c, 16) >= 0));
			if (!ok) {
				return null;
			}
		}
		if (!v6 && literal.chars().filter((c) -> c == '.').count() != 3) {
			return null;
		}
		try {
			return InetAddress.getByName(literal);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

}
