package io.evhttp.spring.actuate;

import io.evhttp.http.HttpException;
import io.evhttp.server.BodyConsumer;
import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.UploadListener;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.OperationArgumentResolver;
import org.springframework.boot.actuate.endpoint.ProducibleOperationArgumentResolver;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.EndpointLinksResolver;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointHttpMethod;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;

/**
 * Serves the exposed Actuator web endpoints under the management base path on an evhttp
 * port, as Spring MVC's endpoint mapping does for Tomcat: the base path lists the links,
 * each operation answers on its path and method, path variables, query parameters and a
 * small JSON body (for write operations) become its arguments, and the answer is written
 * by {@link EndpointAnswers}. Runs on the task executor, since health checks may block.
 */
final class EndpointRequestHandler implements Handler, UploadListener {

	private static final Log logger = LogFactory.getLog(EndpointRequestHandler.class);

	/** Write operations take a few fields; anything larger is no endpoint request. */
	static final int MAX_BODY = 64 * 1024;

	private static final String BODY = EndpointRequestHandler.class.getName() + ".body";

	private final String basePath;

	private final List<Route> routes;

	private final EndpointLinksResolver links;

	private final EndpointAnswers answers;

	EndpointRequestHandler(String basePath, List<ExposableWebEndpoint> endpoints, EndpointAnswers answers) {
		this.basePath = basePath;
		this.links = new EndpointLinksResolver(endpoints, basePath);
		this.answers = answers;
		this.routes = new ArrayList<>();
		for (ExposableWebEndpoint endpoint : endpoints) {
			for (WebOperation operation : endpoint.getOperations()) {
				this.routes.add(new Route(operation, OperationPath.of(operation.getRequestPredicate().getPath())));
			}
		}
		this.routes.sort(Comparator.comparingInt((Route route) -> route.path().literals()).reversed());
	}

	@Override
	public void onHead(Request request) {
		if (request.contentLength() > MAX_BODY) {
			throw new HttpException(413, "Content Too Large");
		}
		// Kept in memory, never in the upload store: an endpoint body is a few fields.
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		request.attributes().put(BODY, body);
		request.consumeBody(new BodyConsumer() {

			@Override
			public void onData(ByteBuffer data) {
				if (body.size() + data.remaining() > MAX_BODY) {
					throw new HttpException(413, "Content Too Large");
				}
				byte[] bytes = new byte[data.remaining()];
				data.get(bytes);
				body.write(bytes, 0, bytes.length);
			}

		});
	}

	@Override
	public void handle(Request request, Response response) throws Exception {
		List<String> segments = segments(request.path());
		if (segments == null) {
			throw new HttpException(404, "Not Found");
		}
		if (segments.isEmpty()) {
			allow(request, WebEndpointHttpMethod.GET);
			this.answers.sendLinks(response, request, this.links.resolveLinks(requestUrl(request)));
			return;
		}
		WebEndpointHttpMethod method = method(request.method());
		Route chosen = null;
		Map<String, Object> variables = null;
		TreeSet<String> allowed = new TreeSet<>();
		for (Route route : this.routes) {
			Map<String, Object> bound = route.path().match(segments);
			if (bound == null) {
				continue;
			}
			WebEndpointHttpMethod routeMethod = route.operation().getRequestPredicate().getHttpMethod();
			allowed.add(routeMethod.name());
			if (routeMethod == method && chosen == null) {
				chosen = route;
				variables = bound;
			}
		}
		if (chosen == null) {
			if (allowed.isEmpty()) {
				throw new HttpException(404, "Not Found");
			}
			throw HttpException.methodNotAllowed(allowed);
		}
		invoke(chosen.operation(), variables, request, response);
	}

	private void invoke(WebOperation operation, Map<String, Object> variables, Request request, Response response)
			throws Exception {
		Map<String, Object> arguments = new LinkedHashMap<>(variables);
		if ("POST".equals(request.method())) {
			arguments.putAll(this.answers.readBody(request.header("Content-Type"),
					((ByteArrayOutputStream) request.attributes().get(BODY)).toByteArray()));
		}
		request.query().forEach((name, values) -> arguments.put(name, (values.size() != 1) ? values : values.get(0)));
		List<String> accept = request.headers().all("Accept");
		InvocationContext context = new InvocationContext(SecurityContext.NONE, arguments,
				OperationArgumentResolver.of(WebServerNamespace.class, () -> WebServerNamespace.SERVER),
				new ProducibleOperationArgumentResolver(() -> accept));
		Object result;
		try {
			result = operation.invoke(context);
		}
		catch (InvalidEndpointRequestException ex) {
			logger
				.debug("Refused endpoint request " + request.method() + " " + request.path() + ": " + ex.getMessage());
			throw new HttpException(400, (ex.getReason() != null) ? ex.getReason() : "Bad Request");
		}
		this.answers.send(response, request, operation.getRequestPredicate(), result);
	}

	/** The decoded segments below the base path, or {@code null} when outside it. */
	private List<String> segments(String path) {
		if (!path.startsWith(this.basePath)) {
			return null;
		}
		String rest = path.substring(this.basePath.length());
		if (!rest.isEmpty() && !rest.startsWith("/") && !this.basePath.endsWith("/")) {
			return null;
		}
		List<String> segments = new ArrayList<>();
		for (String segment : rest.split("/")) {
			if (!segment.isEmpty()) {
				segments.add(decode(segment));
			}
		}
		return segments;
	}

	private static String decode(String segment) {
		if (segment.indexOf('%') < 0) {
			return segment;
		}
		// A plus is a plus in a path; only percent escapes are decoded.
		return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
	}

	private static void allow(Request request, WebEndpointHttpMethod method) {
		if (method(request.method()) != method) {
			throw HttpException.methodNotAllowed(List.of(method.name()));
		}
	}

	private static WebEndpointHttpMethod method(String method) {
		return switch (method) {
			case "GET", "HEAD" -> WebEndpointHttpMethod.GET;
			case "POST" -> WebEndpointHttpMethod.POST;
			case "DELETE" -> WebEndpointHttpMethod.DELETE;
			default -> null;
		};
	}

	private static String requestUrl(Request request) {
		String host = (request.host() != null) ? request.host() : "localhost:" + request.port();
		return "http://" + host + request.path();
	}

	@Override
	public String toString() {
		return "Actuator endpoints under " + this.basePath + " " + Arrays.toString(this.routes.toArray());
	}

	private record Route(WebOperation operation, OperationPath path) {

		@Override
		public String toString() {
			return operation().getRequestPredicate().getHttpMethod() + " "
					+ operation().getRequestPredicate().getPath();
		}

	}

}
