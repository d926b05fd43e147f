package io.evhttp.spring.method;

import io.evhttp.http.HttpException;
import io.evhttp.server.Response;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Writes what a handler method returned: {@code null} as an empty body; a
 * {@link ResponseEntity} as its status, headers and body; a {@link ProblemDetail} as
 * {@code application/problem+json}; text as {@code text/plain} UTF-8; {@code byte[]} as
 * {@code application/octet-stream}; a {@link Path} or file {@link Resource} with sendfile
 * (a missing one is 404), another resource read whole; anything else as JSON through the
 * application's mapper.
 */
final class Results {

	private static final String TEXT = "text/plain; charset=utf-8";

	private static final String PROBLEM = "application/problem+json";

	private final JsonBodies json;

	Results(JsonBodies json) {
		this.json = json;
	}

	/**
	 * Whether a method declared to return {@code type} can be answered: anything but JSON
	 * needs no mapper; {@code Object} and {@code ResponseEntity} are given the benefit of
	 * the doubt.
	 */
	boolean canWrite(Class<?> type) {
		return this.json != null || type == void.class || type == Object.class
				|| CharSequence.class.isAssignableFrom(type) || type == byte[].class
				|| Path.class.isAssignableFrom(type) || Resource.class.isAssignableFrom(type)
				|| ResponseEntity.class.isAssignableFrom(type);
	}

	/**
	 * Writes {@code value} with {@code status} unless the value carries its own.
	 */
	void write(Object value, int status, Invocation invocation) throws IOException {
		Response response = invocation.response();
		if (value instanceof ResponseEntity<?> entity) {
			response.status(entity.getStatusCode().value());
			boolean typed = copy(entity.getHeaders(), response);
			body(entity.getBody(), typed, invocation);
			return;
		}
		response.status(status);
		body(value, false, invocation);
	}

	private static boolean copy(HttpHeaders headers, Response response) {
		boolean typed = false;
		for (Map.Entry<String, List<String>> header : headers.headerSet()) {
			String name = header.getKey();
			if (name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)
					|| name.equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING)) {
				continue;
			}
			typed |= name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE);
			for (String value : header.getValue()) {
				response.header(name, value);
			}
		}
		return typed;
	}

	private void body(Object value, boolean typed, Invocation invocation) throws IOException {
		Response response = invocation.response();
		if (value == null) {
			response.end();
		}
		else if (value instanceof ProblemDetail problem) {
			response.status(problem.getStatus());
			send(response, typed, PROBLEM, problem(problem, invocation));
		}
		else if (value instanceof CharSequence text) {
			send(response, typed, TEXT, text.toString().getBytes(StandardCharsets.UTF_8));
		}
		else if (value instanceof byte[] bytes) {
			send(response, typed, MediaType.APPLICATION_OCTET_STREAM_VALUE, bytes);
		}
		else if (value instanceof Path file) {
			file(response, typed, file);
		}
		else if (value instanceof Resource resource) {
			if (resource.isFile()) {
				file(response, typed, resource.getFile().toPath());
			}
			else {
				String type = MediaTypeFactory.getMediaType(resource)
					.orElse(MediaType.APPLICATION_OCTET_STREAM)
					.toString();
				send(response, typed, type, resource.getContentAsByteArray());
			}
		}
		else {
			send(response, typed, MediaType.APPLICATION_JSON_VALUE, json().write(value));
		}
	}

	private static void send(Response response, boolean typed, String type, byte[] body) {
		if (!typed) {
			response.contentType(type);
		}
		response.send(body);
	}

	private static void file(Response response, boolean typed, Path file) throws IOException {
		if (!typed) {
			response.contentType(MediaTypeFactory.getMediaType(file.getFileName().toString())
				.orElse(MediaType.APPLICATION_OCTET_STREAM)
				.toString());
		}
		try {
			response.sendFile(file);
		}
		catch (NoSuchFileException ex) {
			throw new HttpException(404, "no such file: " + file.getFileName(), ex);
		}
	}

	/** RFC 9457 members first, then the detail's own properties, as Spring writes it. */
	private byte[] problem(ProblemDetail problem, Invocation invocation) throws IOException {
		Map<String, Object> members = new LinkedHashMap<>();
		URI type = problem.getType();
		members.put("type", (type != null) ? type.toString() : "about:blank");
		members.put("title", (problem.getTitle() != null) ? problem.getTitle()
				: io.evhttp.server.Status.reason(problem.getStatus()));
		members.put("status", problem.getStatus());
		if (problem.getDetail() != null) {
			members.put("detail", problem.getDetail());
		}
		URI instance = problem.getInstance();
		members.put("instance", (instance != null) ? instance.toString() : invocation.request().path());
		if (problem.getProperties() != null) {
			problem.getProperties().forEach(members::putIfAbsent);
		}
		return json().write(members);
	}

	private JsonBodies json() {
		if (this.json == null) {
			throw new IllegalStateException("no JSON mapper: add tools.jackson.core:jackson-databind");
		}
		return this.json;
	}

}
