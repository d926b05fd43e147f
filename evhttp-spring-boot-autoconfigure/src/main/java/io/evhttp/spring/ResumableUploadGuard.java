package io.evhttp.spring;

import io.evhttp.resumable.NewUpload;
import io.evhttp.server.Request;

/**
 * Has its say on each resumable upload before anything of it is stored (quota,
 * authentication): every bean of this type is asked, in their order, when a client asks
 * to create an upload. Throw {@link io.evhttp.http.HttpException} to refuse: its status
 * (401, 403, 413, 507 ...) and reason are answered, and the upload does not exist.
 *
 * <pre>{@code
 * &#64;Bean
 * ResumableUploadGuard quota(Quotas quotas) {
 *     return (request, upload) -> {
 *         if (!quotas.allows(request.header("Authorization"), upload.length())) {
 *             throw new HttpException(413, "over your quota");
 *         }
 *     };
 * }
 * }</pre>
 *
 * Runs on the resumable endpoint's threads, where it may block.
 */
@FunctionalInterface
public interface ResumableUploadGuard {

	/**
	 * @param request the creation request (head only: no byte of its body is read yet)
	 * @param upload what it asks for; {@code upload.length()} is -1 while deferred
	 */
	void beforeCreate(Request request, NewUpload upload);

}
