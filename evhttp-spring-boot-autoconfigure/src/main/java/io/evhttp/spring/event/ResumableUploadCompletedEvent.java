package io.evhttp.spring.event;

import io.evhttp.resumable.UploadInfo;
import java.net.URI;

/**
 * A resumable upload is whole. Its bytes stay at {@link #location()} until it expires or
 * is terminated: copy them elsewhere to keep them longer.
 */
public final class ResumableUploadCompletedEvent extends ResumableUploadEvent {

	private static final long serialVersionUID = 1L;

	private final URI location;

	public ResumableUploadCompletedEvent(UploadInfo upload, URI location) {
		super(upload);
		this.location = location;
	}

	/**
	 * Where the bytes are: a {@code file:} URI on local disk, {@code s3://bucket/key} in
	 * S3.
	 */
	public URI location() {
		return this.location;
	}

}
