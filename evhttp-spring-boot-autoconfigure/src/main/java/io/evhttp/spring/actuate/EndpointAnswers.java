package io.evhttp.spring.actuate;

import io.evhttp.http.HttpException;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.web.Link;
import org.springframework.boot.actuate.endpoint.web.WebEndpointHttpMethod;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebOperationRequestPredicate;
import org.springframework.core.io.Resource;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns what an endpoint operation returned into an answer, following Spring MVC's rules
 * for endpoints: {@code null} is 404 for a read and 204 otherwise, a
 * {@link WebEndpointResponse} brings its status and content type, text and bytes are sent
 * as they are, a {@link Resource} is streamed (from its file with sendfile), anything
 * else is JSON in the first type the operation produces that the client accepts.
 * Actuator's own response types ({@link OperationResponseBody}) are written with the
 * endpoints' isolated mapper, others with the application's, as Boot does.
 */
final class EndpointAnswers {

	private static final String LINKS_TYPE = "application/vnd.spring-boot.actuator.v3+json";

	private final JsonMapper endpointMapper;

	private final JsonMapper applicationMapper;

	EndpointAnswers(JsonMapper endpointMapper, JsonMapper applicationMapper) {
		this.endpointMapper = endpointMapper;
		this.applicationMapper = applicationMapper;
	}

	void sendLinks(Response response, Request request, Map<String, Link> links) throws IOException {
		String type = negotiate(List.of(LINKS_TYPE, "application/json"), request);
		response.send(200, type, this.endpointMapper.writeValueAsBytes(Map.of("_links", links)));
	}

	void send(Response response, Request request, WebOperationRequestPredicate predicate, Object result)
			throws IOException {
		if (result == null) {
			response.send((predicate.getHttpMethod() == WebEndpointHttpMethod.GET) ? 404 : 204, "text/plain",
					new byte[0]);
			return;
		}
		int status = 200;
		String type = null;
		Object body = result;
		if (result instanceof WebEndpointResponse<?> answer) {
			status = answer.getStatus();
			type = (answer.getContentType() != null) ? answer.getContentType().toString() : null;
			body = answer.getBody();
		}
		if (body == null) {
			response.send(status, "text/plain", new byte[0]);
			return;
		}
		if (type == null) {
			type = negotiate(predicate.getProduces(), request);
		}
		if (body instanceof Resource resource) {
			sendResource(response, status, type, resource);
		}
		else if (body instanceof byte[] bytes) {
			response.send(status, type, bytes);
		}
		else if (body instanceof CharSequence text) {
			response.send(status, withCharset(type), text.toString().getBytes(StandardCharsets.UTF_8));
		}
		else {
			JsonMapper mapper = (body instanceof OperationResponseBody) ? this.endpointMapper : this.applicationMapper;
			response.send(status, type, mapper.writeValueAsBytes(body));
		}
	}

	/** The fields of a write operation's JSON body. */
	Map<String, Object> readBody(String contentType, byte[] body) {
		if (body.length == 0) {
			return Map.of();
		}
		if (contentType == null || !contentType.toLowerCase(Locale.ROOT).contains("json")) {
			throw new HttpException(415, "Unsupported Media Type");
		}
		try {
			return this.applicationMapper.readValue(body, new TypeReference<Map<String, Object>>() {
			});
		}
		catch (JacksonException ex) {
			throw HttpException.badRequest("body is not a JSON object");
		}
	}

	private static void sendResource(Response response, int status, String type, Resource resource) throws IOException {
		response.status(status).contentType(type);
		if (resource.isFile()) {
			response.sendFile(resource.getFile().toPath());
			return;
		}
		try (InputStream in = resource.getInputStream()) {
			response.send(status, type, in.readAllBytes());
		}
	}

	/** The first produced type the client accepts, else the first produced. */
	private static String negotiate(Collection<String> produces, Request request) {
		List<String> accepted = request.headers().all("Accept");
		for (String produced : produces) {
			for (String accept : accepted) {
				for (String range : accept.split(",")) {
					String mediaRange = range.split(";")[0].trim().toLowerCase(Locale.ROOT);
					if (mediaRange.equals(produced)) {
						return produced;
					}
				}
			}
		}
		return produces.isEmpty() ? "application/json" : produces.iterator().next();
	}

	private static String withCharset(String type) {
		return (type.startsWith("text/") && !type.contains("charset")) ? type + ";charset=UTF-8" : type;
	}

}
