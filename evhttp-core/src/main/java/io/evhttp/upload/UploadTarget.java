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
 */
public record UploadTarget(long requestId, String field, String filename, String contentType, long declaredLength) {

}
