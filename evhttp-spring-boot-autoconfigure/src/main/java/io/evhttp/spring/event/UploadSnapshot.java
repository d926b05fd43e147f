package io.evhttp.spring.event;

/**
 * An immutable view of an upload at the moment of an event.
 *
 * @param requestId unique request number within the server
 * @param port local port of the listener
 * @param path request path
 * @param rawQuery query as sent, or {@code null}
 * @param clientIp client address (from the real-IP header when sent by a trusted proxy)
 * @param route the path pattern the request was routed by (bounded, fit for a metric tag)
 * @param handler name of the handler's bean (or route bean)
 * @param field form field of the file, or {@code null} for events about the whole request
 * @param filename file name as sent, or {@code null}
 * @param contentType the file's content type, or {@code null}
 * @param bytes bytes of the file received so far
 * @param expectedTotal declared length of the whole request body, or -1 when unknown
 * (chunked)
 */
public record UploadSnapshot(long requestId, int port, String path, String rawQuery, String clientIp, String route,
		String handler, String field, String filename, String contentType, long bytes, long expectedTotal) {
}
