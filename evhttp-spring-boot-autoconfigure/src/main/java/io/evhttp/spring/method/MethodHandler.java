package io.evhttp.spring.method;

import io.evhttp.http.HttpException;
import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The {@link Handler} a handler-method bean is served as: decodes the path
 * ({@link PathDecoder}), picks the most specific pattern that matches and accepts the
 * request's method, calls it, and answers what it throws ({@link ExceptionAnswers}). A
 * path some pattern matches but none for this method is answered 405 with {@code Allow}
 * ({@code OPTIONS}: 204 with {@code Allow}); a path none matches, 404. Runs where the
 * handler's {@code threading} says, as any handler: the body is received by then.
 */
final class MethodHandler implements Handler {

	/** The path is already decoded: segments are split on '/' and taken as they are. */
	private static final PathContainer.Options DECODED = PathContainer.Options.create('/', false);

	private static final List<String> ORDER = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

	/**
	 * Most specific pattern first; of equal ones, those naming methods before any-method
	 * ones.
	 */
	private final List<MappedMethod> methods;

	private final ExceptionAnswers exceptions;

	MethodHandler(List<MappedMethod> methods, ExceptionAnswers exceptions) {
		List<MappedMethod> sorted = new ArrayList<>(methods);
		sorted.sort(Comparator.comparing(MappedMethod::pattern, PathPattern.SPECIFICITY_COMPARATOR)
			.thenComparing((mapped) -> mapped.methods().isEmpty()));
		this.methods = List.copyOf(sorted);
		this.exceptions = exceptions;
	}

	@Override
	public void handle(Request request, Response response) throws Exception {
		PathContainer path = PathContainer.parsePath(PathDecoder.decode(request.path()), DECODED);
		String method = request.method();
		Set<String> allowed = new TreeSet<>(
				Comparator.comparingInt(MethodHandler::rank).thenComparing(Comparator.naturalOrder()));
		for (MappedMethod mapped : this.methods) {
			PathPattern.PathMatchInfo match = mapped.pattern().matchAndExtract(path);
			if (match == null) {
				continue;
			}
			if (mapped.accepts(method)) {
				call(mapped, new Invocation(request, response, match.getUriVariables(), null));
				return;
			}
			allowed.addAll(mapped.methods());
		}
		if (allowed.isEmpty()) {
			throw new HttpException(404, "no handler method for " + request.path());
		}
		if (allowed.contains("GET")) {
			allowed.add("HEAD");
		}
		allowed.add("OPTIONS");
		if ("OPTIONS".equals(method)) {
			response.status(204).header("Allow", String.join(", ", allowed)).end();
			return;
		}
		throw HttpException.methodNotAllowed(allowed);
	}

	private void call(MappedMethod mapped, Invocation invocation) throws Exception {
		try {
			mapped.invoker().invoke(invocation);
		}
		catch (Exception ex) {
			this.exceptions.answer(ex, invocation);
		}
	}

	private static int rank(String method) {
		int index = ORDER.indexOf(method);
		return (index >= 0) ? index : ORDER.size();
	}

}
