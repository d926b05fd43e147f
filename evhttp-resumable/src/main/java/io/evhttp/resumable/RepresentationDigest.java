package io.evhttp.resumable;

import io.evhttp.http.HttpException;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

/**
 * RFC 9530 {@code Repr-Digest} on the draft: the digest of the whole upload, which a
 * client sends with the request that completes it, and the one it asks for with
 * {@code Want-Repr-Digest}.
 *
 * <p>
 * When the completing request carries the upload from offset 0, its bytes are digested as
 * they arrive and a mismatch is refused before they are committed, so the offset stays
 * where it was. When earlier requests carried part of the upload, the stored bytes are
 * read back once the store has completed it and before anyone is told: a mismatch then
 * removes the upload, as its bytes are not the representation the client meant. Either
 * way nothing completes. A wanted digest is answered only when it costs nothing (the
 * request digested the whole upload, or it was read back with that algorithm).
 */
final class RepresentationDigest {

	private final Dialect dialect;

	/** The client's digest of the whole upload, or {@code null}. */
	private final Checksum expected;

	/** The JDK name of the algorithm asked for, or {@code null}. */
	private final String wanted;

	/** Over this request's bytes, when it starts at offset 0. */
	private MessageDigest streamed;

	private byte[] computed;

	private RepresentationDigest(Dialect dialect, Checksum expected, String wanted) {
		this.dialect = dialect;
		this.expected = expected;
		this.wanted = wanted;
	}

	/**
	 * @return the digest the request sends or wants, or {@code null} when there is none
	 * @throws HttpException 400 when {@code Repr-Digest} is malformed
	 */
	static RepresentationDigest of(Request request, Dialect dialect) {
		if (!dialect.isDraft()) {
			return null;
		}
		String sent = request.header("Repr-Digest");
		Checksum expected = (sent != null) ? Checksum.ofContentDigest(sent) : null;
		String want = request.header("Want-Repr-Digest");
		String wanted = (want != null) ? preferred(want) : null;
		return (expected == null && wanted == null) ? null : new RepresentationDigest(dialect, expected, wanted);
	}

	/** On the executor, the lease held: digest as it arrives only from offset 0. */
	void start(long offset) {
		if (offset == 0) {
			this.streamed = new Checksum(algorithm(), new byte[0]).newDigest();
		}
	}

	/** On the loop: leaves the buffer's position and limit alone. */
	void update(ByteBuffer data) {
		if (this.streamed != null) {
			this.streamed.update(data.duplicate());
		}
	}

	/**
	 * Before the commit of a request that completes the upload.
	 * @throws HttpException 400 when the streamed bytes are not what the client digested
	 */
	void checkStreamed() {
		if (this.streamed == null) {
			return;
		}
		this.computed = this.streamed.digest();
		if (this.expected != null && !MessageDigest.isEqual(this.expected.expected(), this.computed)) {
			throw mismatch();
		}
	}

	/**
	 * After the store completed an upload that this request did not digest whole: reads
	 * it back and removes it on a mismatch.
	 * @throws HttpException 400 on a mismatch (the upload is gone)
	 */
	void checkStored(ResumableStore store, UploadLease lease, UploadInfo info) throws IOException {
		if (this.computed != null || this.expected == null) {
			return;
		}
		MessageDigest digest = this.expected.newDigest();
		try (InputStream in = store.open(info.id())) {
			byte[] buffer = new byte[64 * 1024];
			long left = info.length();
			for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; left -= n) {
				digest.update(buffer, 0, n);
			}
		}
		this.computed = digest.digest();
		if (!MessageDigest.isEqual(this.expected.expected(), this.computed)) {
			lease.terminate();
			throw mismatch();
		}
	}

	/** Adds {@code Repr-Digest} to the answer of a complete upload when it is known. */
	void answer(Response response, UploadInfo info) {
		if (this.wanted != null && this.computed != null && info.complete() && this.wanted.equals(algorithm())) {
			String name = this.wanted.toLowerCase(Locale.ROOT);
			response.header("Repr-Digest", name + "=:" + Base64.getEncoder().encodeToString(this.computed) + ":");
		}
	}

	private String algorithm() {
		return (this.expected != null) ? this.expected.algorithm() : this.wanted;
	}

	private HttpException mismatch() {
		return Answers.error(this.dialect, 400, "Repr-Digest does not match the upload");
	}

	/**
	 * The supported algorithm of highest weight in a {@code Want-Repr-Digest}, or null.
	 */
	private static String preferred(String header) {
		String best = null;
		int bestWeight = 0;
		for (String member : header.split(",")) {
			int eq = member.indexOf('=');
			String name = ((eq < 0) ? member : member.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
			int weight;
			try {
				weight = (eq < 0) ? 1 : Integer.parseInt(member.substring(eq + 1).trim());
			}
			catch (NumberFormatException ex) {
				continue; // RFC 9530 section 4: ignore what is not understood
			}
			String algorithm = switch (name) {
				case "sha-256" -> "SHA-256";
				case "sha-512" -> "SHA-512";
				default -> null;
			};
			if (algorithm != null && weight > bestWeight) {
				best = algorithm;
				bestWeight = weight;
			}
		}
		return best;
	}

}
