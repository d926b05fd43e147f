package io.evhttp.s3;

import io.evhttp.resumable.UploadInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything the S3 resumable store knows of one upload, kept as one small JSON object
 * ({@code <id>.info}) and replaced only by compare-and-swap on its ETag.
 *
 * <pre>
 *   RECEIVING --complete (lease holder's CAS)--&gt; COMPLETING --object made--&gt; COMPLETE
 *   RECEIVING/COMPLETE --terminate (lease holder's CAS)--&gt; TERMINATING --all deleted--&gt; (gone)
 * </pre>
 *
 * <p>
 * The bytes stored are the recorded {@code parts} of the multipart upload, in number
 * order, then the tail object: nothing else counts, whatever a stale writer left in S3.
 * The lease is {@code holder}, {@code epoch} and {@code leaseUntil}; {@code stop} is the
 * next requester's ask to let go. Part numbers up to {@code reserved} belong to past or
 * present holders; a new holder numbers its parts above them, so no stale writer can
 * replace a part that counts.
 *
 * @param write a random nonce per write: a retried write that S3 refuses (412) because
 * its first try succeeded is told apart from a lost race by reading it back
 */
record S3UploadState(String id, long length, long offset, String metadata, Instant expiresAt, Phase phase,
		boolean partial, List<String> concat, String uploadId, List<Part> parts, String tailKey, long tailSize,
		int reserved, long epoch, String holder, long leaseUntil, boolean stop, String write) {

	enum Phase {

		RECEIVING, COMPLETING, COMPLETE, TERMINATING

	}

	/** A part of the multipart upload that counts. */
	record Part(int number, long size, String etag, String crc) {

	}

	S3UploadState {
		metadata = (metadata != null) ? metadata : "";
		concat = List.copyOf(concat);
		parts = List.copyOf(parts);
	}

	static S3UploadState created(UploadInfo info) {
		return new S3UploadState(info.id(), info.length(), info.offset(), info.metadata(), info.expiresAt(),
				info.complete() ? Phase.COMPLETE : Phase.RECEIVING, info.partial(), info.parts(), null, List.of(), null,
				0, 0, 0, null, 0, false, null);
	}

	UploadInfo info() {
		boolean complete = this.phase == Phase.COMPLETING || this.phase == Phase.COMPLETE;
		return new UploadInfo(this.id, this.length, this.offset, this.metadata, this.expiresAt, complete, this.partial,
				this.concat);
	}

	/** Whether someone holds the lease at {@code nowMillis}. */
	boolean leased(long nowMillis) {
		return this.holder != null && this.leaseUntil > nowMillis;
	}

	boolean heldBy(String holder, long epoch) {
		return holder.equals(this.holder) && this.epoch == epoch;
	}

	S3UploadState withWrite(String write) {
		return new S3UploadState(this.id, this.length, this.offset, this.metadata, this.expiresAt, this.phase,
				this.partial, this.concat, this.uploadId, this.parts, this.tailKey, this.tailSize, this.reserved,
				this.epoch, this.holder, this.leaseUntil, this.stop, write);
	}

	S3UploadState withLease(String holder, long epoch, long leaseUntil, boolean stop) {
		return new S3UploadState(this.id, this.length, this.offset, this.metadata, this.expiresAt, this.phase,
				this.partial, this.concat, this.uploadId, this.parts, this.tailKey, this.tailSize, this.reserved, epoch,
				holder, leaseUntil, stop, this.write);
	}

	S3UploadState withReserved(int reserved, String uploadId) {
		return new S3UploadState(this.id, this.length, this.offset, this.metadata, this.expiresAt, this.phase,
				this.partial, this.concat, uploadId, this.parts, this.tailKey, this.tailSize, reserved, this.epoch,
				this.holder, this.leaseUntil, this.stop, this.write);
	}

	S3UploadState withLength(long length) {
		return new S3UploadState(this.id, length, this.offset, this.metadata, this.expiresAt, this.phase, this.partial,
				this.concat, this.uploadId, this.parts, this.tailKey, this.tailSize, this.reserved, this.epoch,
				this.holder, this.leaseUntil, this.stop, this.write);
	}

	S3UploadState withPhase(Phase phase) {
		long len = (phase == Phase.COMPLETING) ? this.offset : this.length;
		return new S3UploadState(this.id, len, this.offset, this.metadata, this.expiresAt, phase, this.partial,
				this.concat, this.uploadId, this.parts, this.tailKey, this.tailSize, this.reserved, this.epoch,
				this.holder, this.leaseUntil, this.stop, this.write);
	}

	/** The state once {@code added} parts and a new tail are stored. */
	S3UploadState appended(List<Part> added, String tailKey, long tailSize, long offset) {
		List<Part> all = new ArrayList<>(this.parts);
		all.addAll(added);
		return new S3UploadState(this.id, this.length, offset, this.metadata, this.expiresAt, this.phase, this.partial,
				this.concat, this.uploadId, all, tailKey, tailSize, this.reserved, this.epoch, this.holder,
				this.leaseUntil, this.stop, this.write);
	}

	String json() {
		StringBuilder out = new StringBuilder(256 + 120 * this.parts.size());
		out.append("{\"v\":1,\"id\":").append(Json.quote(this.id));
		out.append(",\"length\":").append(this.length).append(",\"offset\":").append(this.offset);
		out.append(",\"metadata\":").append(Json.quote(this.metadata));
		out.append(",\"expires\":").append(this.expiresAt.toEpochMilli());
		out.append(",\"phase\":").append(Json.quote(this.phase.name()));
		out.append(",\"partial\":").append(this.partial);
		out.append(",\"concat\":[");
		for (int i = 0; i < this.concat.size(); i++) {
			out.append((i > 0) ? "," : "").append(Json.quote(this.concat.get(i)));
		}
		out.append("],\"uploadId\":").append(quoteOrNull(this.uploadId)).append(",\"parts\":[");
		for (int i = 0; i < this.parts.size(); i++) {
			Part p = this.parts.get(i);
			out.append((i > 0) ? "," : "")
				.append("{\"n\":")
				.append(p.number())
				.append(",\"size\":")
				.append(p.size())
				.append(",\"etag\":")
				.append(Json.quote(p.etag()))
				.append(",\"crc\":")
				.append(quoteOrNull(p.crc()))
				.append('}');
		}
		out.append("],\"tail\":").append(quoteOrNull(this.tailKey)).append(",\"tailSize\":").append(this.tailSize);
		out.append(",\"reserved\":").append(this.reserved).append(",\"epoch\":").append(this.epoch);
		out.append(",\"holder\":").append(quoteOrNull(this.holder)).append(",\"leaseUntil\":").append(this.leaseUntil);
		out.append(",\"stop\":").append(this.stop).append(",\"write\":").append(quoteOrNull(this.write));
		return out.append('}').toString();
	}

	@SuppressWarnings("unchecked")
	static S3UploadState parse(String text) {
		Map<String, Object> m = (Map<String, Object>) Json.parse(text);
		List<Part> parts = new ArrayList<>();
		for (Object o : (List<Object>) m.get("parts")) {
			Map<String, Object> p = (Map<String, Object>) o;
			parts.add(new Part(((Long) p.get("n")).intValue(), (Long) p.get("size"), (String) p.get("etag"),
					(String) p.get("crc")));
		}
		List<String> concat = new ArrayList<>();
		for (Object o : (List<Object>) m.get("concat")) {
			concat.add((String) o);
		}
		return new S3UploadState((String) m.get("id"), (Long) m.get("length"), (Long) m.get("offset"),
				(String) m.get("metadata"), Instant.ofEpochMilli((Long) m.get("expires")),
				Phase.valueOf((String) m.get("phase")), (Boolean) m.get("partial"), concat, (String) m.get("uploadId"),
				parts, (String) m.get("tail"), (Long) m.get("tailSize"), ((Long) m.get("reserved")).intValue(),
				(Long) m.get("epoch"), (String) m.get("holder"), (Long) m.get("leaseUntil"), (Boolean) m.get("stop"),
				(String) m.get("write"));
	}

	private static String quoteOrNull(String s) {
		return (s != null) ? Json.quote(s) : "null";
	}

}
