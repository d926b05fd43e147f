package io.evhttp.spring.method;

import io.evhttp.http.HttpException;
import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.RequestOutcome;
import io.evhttp.server.Response;
import io.evhttp.server.UploadListener;
import io.evhttp.server.UploadedFile;
import java.nio.ByteBuffer;
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
 *
 * <p>
 * The same refusals (400 for the path, 404, 405) are made from the head, before any body
 * byte is read or stored, as its {@link UploadListener}; the bean's own callbacks, when
 * it is a listener, follow.
 */
final class MethodHandler implements Handler, UploadListener {

	/** The path is already decoded: segments are split on '/' and taken as they are. */
	private static final PathContainer.Options DECODED = PathContainer.Options.create('/', false);

	private static final List<String> ORDER = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

	/**
	 * Most specific pattern first; of equal ones, those naming methods before any-method
	 * ones.
	 */
	private final List<MappedMethod> methods;

	private final ExceptionAnswers exceptions;

	private final UploadListener listener;

	MethodHandler(List<MappedMethod> methods, ExceptionAnswers exceptions, UploadListener listener) {
		List<MappedMethod> sorted = new ArrayList<>(methods);
		sorted.sort(Comparator.comparing(MappedMethod::pattern, PathPattern.SPECIFICITY_COMPARATOR)
			.thenComparing((mapped) -> mapped.methods().isEmpty()));
		this.methods = List.copyOf(sorted);
		this.exceptions = exceptions;
		this.listener = listener;
	}

	/** Refuses what {@link #handle} would refuse, before the body. */
	@Override
	public void onHead(Request request) {
		if (!"OPTIONS".equals(request.method())) {
			refuseEarly(request);
		}
		this.listener.onHead(request);
	}

	private void refuseEarly(Request request) {
		PathContainer path = PathContainer.parsePath(PathDecoder.decode(request.path()), DECODED);
		Set<String> allowed = null;
		for (MappedMethod mapped : this.methods) {
			if (mapped.pattern().matches(path)) {
				if (mapped.accepts(request.method())) {
					return;
				}
				allowed = (allowed != null) ? allowed : allowedSet();
				allowed.addAll(mapped.methods());
			}
		}
		if (allowed == null) {
			throw new HttpException(404, "no handler method for " + request.path());
		}
		throw notAllowed(allowed);
	}

	@Override
	public void handle(Request request, Response response) throws Exception {
		PathContainer path = PathContainer.parsePath(PathDecoder.decode(request.path()), DECODED);
		String method = request.method();
		Set<String> allowed = allowedSet();
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
		if ("OPTIONS".equals(method)) {
			response.status(204).header("Allow", String.join(", ", withImplied(allowed))).end();
			return;
		}
		throw notAllowed(allowed);
	}

	private static Set<String> allowedSet() {
		return new TreeSet<>(Comparator.comparingInt(MethodHandler::rank).thenComparing(Comparator.naturalOrder()));
	}

	private static Set<String> withImplied(Set<String> allowed) {
		if (allowed.contains("GET")) {
			allowed.add("HEAD");
		}
		allowed.add("OPTIONS");
		return allowed;
	}

	private static HttpException notAllowed(Set<String> allowed) {
		return HttpException.methodNotAllowed(withImplied(allowed));
	}

	// ---- the bean's own callbacks, when it has them

	@Override
	public void onMultipart(Request request) {
		this.listener.onMultipart(request);
	}

	@Override
	public void onFileOpen(Request request, UploadedFile file) {
		this.listener.onFileOpen(request, file);
	}

	@Override
	public void onFileWrite(Request request, UploadedFile file, ByteBuffer chunk) {
		this.listener.onFileWrite(request, file, chunk);
	}

	@Override
	public boolean wantsFileWrites(Request request) {
		return this.listener.wantsFileWrites(request);
	}

	@Override
	public void onFileReceived(Request request, UploadedFile file) {
		this.listener.onFileReceived(request, file);
	}

	@Override
	public void onError(Request request, HttpException reason) {
		this.listener.onError(request, reason);
	}

	@Override
	public void onComplete(Request request, RequestOutcome outcome) {
		this.listener.onComplete(request, outcome);
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
