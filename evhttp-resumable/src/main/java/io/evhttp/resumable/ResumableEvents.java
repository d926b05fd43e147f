package io.evhttp.resumable;

import io.evhttp.server.Request;
import java.net.URI;

/**
 * What the application hears of resumable uploads, and its say on creation. Every method
 * runs on the endpoint's executor ({@link ResumableOptions#executor}), where it may
 * block. Created, completed, terminated, expired and failed come at most once per upload;
 * progress after each request that stored bytes.
 */
public interface ResumableEvents {

	/** Events nobody listens to. */
	ResumableEvents NONE = new ResumableEvents() {
	};

	/**
	 * A client asks to create an upload (quota, authentication ...); nothing is stored
	 * yet. Throw an {@link io.evhttp.http.HttpException} (401, 403, 413, 507 ...) to
	 * refuse it.
	 */
	default void onCreate(Request request, NewUpload upload) {
	}

	default void onCreated(UploadInfo upload) {
	}

	/** Bytes were stored: {@code upload.offset()} is acknowledged to the client. */
	default void onProgress(UploadInfo upload) {
	}

	/** The upload is whole; its bytes are at {@code location}. */
	default void onCompleted(UploadInfo upload, URI location) {
	}

	/** The client terminated the upload; nothing of it is left. */
	default void onTerminated(UploadInfo upload) {
	}

	/** The upload expired and was swept; nothing of it is left. */
	default void onExpired(UploadInfo upload) {
	}

	/** The store failed the upload; it was removed, since its state cannot be trusted. */
	default void onFailed(UploadInfo upload, Exception reason) {
	}

}
