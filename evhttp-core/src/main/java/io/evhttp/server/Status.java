package io.evhttp.server;

/** Reason phrases of the status codes this server or its users commonly send. */
public final class Status {

	private Status() {
	}

	/** The reason phrase of {@code status}, as RFC 9110 names it. */
	public static String reason(int status) {
		return switch (status) {
			case 100 -> "Continue";
			case 103 -> "Early Hints";
			case 104 -> "Upload Resumption Supported";
			case 200 -> "OK";
			case 201 -> "Created";
			case 202 -> "Accepted";
			case 204 -> "No Content";
			case 206 -> "Partial Content";
			case 301 -> "Moved Permanently";
			case 302 -> "Found";
			case 303 -> "See Other";
			case 304 -> "Not Modified";
			case 307 -> "Temporary Redirect";
			case 308 -> "Permanent Redirect";
			case 400 -> "Bad Request";
			case 401 -> "Unauthorized";
			case 403 -> "Forbidden";
			case 404 -> "Not Found";
			case 405 -> "Method Not Allowed";
			case 408 -> "Request Timeout";
			case 409 -> "Conflict";
			case 411 -> "Length Required";
			case 413 -> "Content Too Large";
			case 414 -> "URI Too Long";
			case 415 -> "Unsupported Media Type";
			case 417 -> "Expectation Failed";
			case 422 -> "Unprocessable Content";
			case 429 -> "Too Many Requests";
			case 431 -> "Request Header Fields Too Large";
			case 500 -> "Internal Server Error";
			case 501 -> "Not Implemented";
			case 503 -> "Service Unavailable";
			case 505 -> "HTTP Version Not Supported";
			case 507 -> "Insufficient Storage";
			default -> (status < 400) ? "OK" : "Error";
		};
	}

}
