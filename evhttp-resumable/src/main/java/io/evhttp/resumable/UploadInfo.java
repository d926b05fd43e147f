package io.evhttp.resumable;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The state of one resumable upload, as its store keeps it: what both protocols share
 * (tus 1.0 and the IETF draft).
 *
 * @param id unguessable name (at least 128 random bits), also the last segment of its URL
 * @param length total bytes announced, or -1 while deferred
 * @param offset bytes stored and acknowledged; never decreases
 * @param metadata the tus {@code Upload-Metadata} value as sent (keys and base64 values),
 * or empty
 * @param expiresAt when the upload and its bytes are removed
 * @param complete whether no more bytes are taken: the upload is whole
 * @param partial whether this is a tus partial upload, meant for a concatenation
 * @param parts ids of the partial uploads a final upload was concatenated from, in order
 */
public record UploadInfo(String id, long length, long offset, String metadata, Instant expiresAt, boolean complete,
		boolean partial, List<String> parts) {

	public UploadInfo {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(expiresAt, "expiresAt");
		metadata = (metadata != null) ? metadata : "";
		parts = List.copyOf(parts);
	}

	/** Whether the total length is still unknown (tus creation-defer-length). */
	public boolean lengthDeferred() {
		return this.length < 0;
	}

	/** Whether this upload was concatenated from partial uploads. */
	public boolean isFinal() {
		return !this.parts.isEmpty();
	}

	UploadInfo withOffset(long offset, Instant expiresAt) {
		return new UploadInfo(this.id, this.length, offset, this.metadata, expiresAt, this.complete, this.partial,
				this.parts);
	}

	UploadInfo withLength(long length) {
		return new UploadInfo(this.id, length, this.offset, this.metadata, this.expiresAt, this.complete, this.partial,
				this.parts);
	}

	UploadInfo completed() {
		return new UploadInfo(this.id, this.offset, this.offset, this.metadata, this.expiresAt, true, this.partial,
				this.parts);
	}

}
