package io.evhttp.upload;

/**
 * What a store is told about one file it is to receive: a file part of a multipart body,
 * or a whole raw body. Never used to name what is stored: a client's filename is data,
 * not a path or a key.
 *
 * @param requestId the request's number within its server
 * @param field the form field's name ({@code ""} for a raw body)
 * @param filename the filename as the client sent it, or {@code null}
 * @param contentType the part's or body's media type as sent
 * @param declaredLength the length announced for it, or -1 when unknown (a part's length
 * is never known before its end)
 * @param maxLength the most bytes the file may have (its limit), or -1 for no limit: a
 * store that must size its pieces before the end (object-storage parts) sizes them for
 * this
 */
public record UploadTarget(long requestId, String field, String filename, String contentType, long declaredLength,
		long maxLength) {

	/** A target with no size limit known. */
	public UploadTarget(long requestId, String field, String filename, String contentType, long declaredLength) {
		this(requestId, field, filename, contentType, declaredLength, -1);
	}

	/** This target with {@code maxLength} as its limit. */
	public UploadTarget withMaxLength(long maxLength) {
		return new UploadTarget(this.requestId, this.field, this.filename, this.contentType, this.declaredLength,
				maxLength);
	}

	/**
	 * The most bytes the file can have as far as the server knows: its declared length,
	 * else its limit, else -1.
	 */
	public long lengthBound() {
		return (this.declaredLength >= 0) ? this.declaredLength : this.maxLength;
	}

}
