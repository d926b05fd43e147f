package io.evhttp.resumable;

import java.time.Instant;
import java.util.List;

/**
 * What a creation request asks for, before anything is stored: shown to
 * {@link ResumableEvents#onCreate} (which may refuse it) and handed to
 * {@link ResumableStore#create}.
 *
 * @param length total bytes announced, or -1 (deferred)
 * @param metadata the tus {@code Upload-Metadata} value, or empty
 * @param expiresAt when the upload expires unless continued
 * @param partial whether it is a tus partial upload
 * @param parts for a tus final upload, the ids of its complete partial uploads in order
 * (the store concatenates them and the new upload is complete at once); else empty
 */
public record NewUpload(long length, String metadata, Instant expiresAt, boolean partial, List<String> parts) {

	public NewUpload {
		metadata = (metadata != null) ? metadata : "";
		parts = List.copyOf(parts);
	}

}
