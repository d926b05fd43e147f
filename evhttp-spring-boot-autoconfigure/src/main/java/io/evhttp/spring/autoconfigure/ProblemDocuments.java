package io.evhttp.spring.autoconfigure;

import io.evhttp.http.HttpException;
import io.evhttp.server.Request;
import io.evhttp.server.Status;
import java.nio.charset.StandardCharsets;

/**
 * Error answers as RFC 9457 problem details ({@code evhttp.problem-details.enabled}): the
 * refusal an exception carries becomes an {@code application/problem+json} document with
 * {@code type} ({@code about:blank}: the status says it all; or the configured prefix and
 * the refusal's code), {@code title}, {@code status}, {@code instance} (the request
 * path), and for client errors the {@code detail} and, where the server's own limits
 * refused, {@code code} and {@code limit}. A server error's detail is never sent (it may
 * name internals); an exception that already has a body keeps it.
 */
final class ProblemDocuments {

	static final String MEDIA_TYPE = "application/problem+json";

	private final String typePrefix;

	private ProblemDocuments(String typePrefix) {
		this.typePrefix = (typePrefix != null && !typePrefix.isBlank()) ? typePrefix : null;
	}

	/** The documents {@code settings} ask for; {@code null} when they are off. */
	static ProblemDocuments of(EvHttpProperties.ProblemDetails settings) {
		return settings.isEnabled() ? new ProblemDocuments(settings.getTypePrefix()) : null;
	}

	HttpException attach(HttpException ex, Request request) {
		if (ex.body() != null || ex.status() < 400) {
			return ex;
		}
		String type = (this.typePrefix != null && ex.code() != null) ? this.typePrefix + ex.code() : "about:blank";
		StringBuilder json = new StringBuilder(200).append('{');
		string(json, "type", type).append(',');
		string(json, "title", Status.reason(ex.status())).append(",\"status\":").append(ex.status());
		if (ex.status() < 500 && ex.reason() != null) {
			string(json.append(','), "detail", ex.reason());
		}
		if (ex.code() != null) {
			string(json.append(','), "code", ex.code());
		}
		if (ex.limit() >= 0) {
			json.append(",\"limit\":").append(ex.limit());
		}
		if (request != null) {
			string(json.append(','), "instance", request.path());
		}
		return ex.withBody(MEDIA_TYPE, json.append('}').toString().getBytes(StandardCharsets.UTF_8));
	}

	private static StringBuilder string(StringBuilder json, String name, String value) {
		json.append('"').append(name).append("\":\"");
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		return json.append('"');
	}

}
