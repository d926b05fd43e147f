package io.evhttp.spring.method;

import io.evhttp.http.HttpException;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.UploadedFile;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ValueConstants;

/**
 * Chooses, once per parameter at startup, how a handler method's argument is found:
 * {@link Request}, {@link Response}, the peer's {@link InetSocketAddress},
 * {@code @PathVariable}, {@code @RequestParam} (query parameters, then form fields; or
 * uploaded files), {@code @RequestHeader}, {@code @RequestPart} (files), and in an
 * {@code @ExceptionHandler} the exception. Text is converted with the application's
 * {@link ConversionService}; a missing required value or a failed conversion is a 400
 * naming the parameter. Anything else fails startup.
 */
final class Arguments {

	private static final boolean MULTIPART_FILE = ClassUtils
		.isPresent("org.springframework.web.multipart.MultipartFile", Arguments.class.getClassLoader());

	private static final TypeDescriptor STRING = TypeDescriptor.valueOf(String.class);

	private static final TypeDescriptor STRINGS = TypeDescriptor.collection(List.class, STRING);

	private final ConversionService conversions;

	private final String where;

	private final Set<String> variables;

	/**
	 * @param where the bean and method, for messages
	 * @param variables the names the method's path patterns capture (for an
	 * {@code @ExceptionHandler}, those of all the bean's patterns)
	 */
	Arguments(ConversionService conversions, String where, Set<String> variables) {
		this.conversions = conversions;
		this.where = where;
		this.variables = variables;
	}

	/** The bean and method, for messages. */
	String where() {
		return this.where;
	}

	Argument of(MethodParameter parameter, boolean exceptionHandler) {
		Class<?> type = parameter.getParameterType();
		PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
		RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
		RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
		RequestPart part = parameter.getParameterAnnotation(RequestPart.class);
		if (path != null) {
			return pathVariable(parameter, name(parameter, path.name()));
		}
		if (param != null || part != null) {
			String name = name(parameter, (param != null) ? param.name() : part.name());
			boolean required = (param != null) ? param.required() : part.required();
			String fallback = (param != null) ? defaultValue(param.defaultValue()) : null;
			if (isFile(parameter)) {
				return file(parameter, name, required && fallback == null);
			}
			if (part != null) {
				return field(parameter, name, required, null, "part");
			}
			return field(parameter, name, required, fallback, "parameter");
		}
		if (header != null) {
			String name = name(parameter, header.name());
			String fallback = defaultValue(header.defaultValue());
			return converted(parameter, "header '" + name + "'", header.required() && fallback == null, fallback,
					(invocation) -> invocation.request().headers().all(name));
		}
		if (type == Request.class) {
			return Invocation::request;
		}
		if (type == Response.class) {
			return Invocation::response;
		}
		if (type == InetSocketAddress.class) {
			return (invocation) -> invocation.request().remoteAddress();
		}
		if (exceptionHandler && Throwable.class.isAssignableFrom(type)) {
			return (invocation) -> type.isInstance(invocation.exception()) ? invocation.exception()
					: (type.isInstance(invocation.exception().getCause()) ? invocation.exception().getCause() : null);
		}
		throw new HandlerMethodException(
				this.where + " has a parameter '" + parameter.getParameterName() + "' of type " + type.getName()
						+ " that cannot be bound.",
				"Annotate it with @PathVariable, @RequestParam, @RequestPart or @RequestHeader, or use one of "
						+ "Request, Response, InetSocketAddress, UploadedFile"
						+ (MULTIPART_FILE ? ", MultipartFile" : "") + ".");
	}

	private Argument pathVariable(MethodParameter parameter, String name) {
		if (!this.variables.contains(name)) {
			throw new HandlerMethodException(
					this.where + " binds @PathVariable '" + name + "', which its path pattern does not capture.",
					"Add {" + name + "} to the mapping's path, or name the variable the pattern captures.");
		}
		return converted(parameter, "path variable '" + name + "'", true, null, (invocation) -> {
			// an @ExceptionHandler may answer a method whose pattern lacks it
			String value = invocation.variables().get(name);
			return (value != null) ? List.of(value) : List.of();
		});
	}

	private Argument field(MethodParameter parameter, String name, boolean required, String fallback, String kind) {
		return converted(parameter, kind + " '" + name + "'", required && fallback == null, fallback,
				(invocation) -> values(invocation.request(), name));
	}

	private static List<String> values(Request request, String name) {
		List<String> query = request.query().get(name);
		List<String> fields = request.fields().get(name);
		if (fields == null || fields.isEmpty()) {
			return (query != null) ? query : List.of();
		}
		if (query == null || query.isEmpty()) {
			return fields;
		}
		List<String> both = new ArrayList<>(query);
		both.addAll(fields);
		return both;
	}

	/** Text values, converted to the parameter's type (a collection takes them all). */
	private Argument converted(MethodParameter parameter, String what, boolean required, String fallback,
			Argument texts) {
		boolean optional = parameter.getParameterType() == Optional.class;
		MethodParameter nested = parameter.nestedIfOptional();
		TypeDescriptor target = new TypeDescriptor(nested);
		boolean many = target.isCollection() || target.isArray();
		boolean mustExist = required && !optional;
		if (!this.conversions.canConvert(many ? STRINGS : STRING, target)) {
			throw new HandlerMethodException(
					this.where + " binds " + what + " to " + target + ", which text cannot be converted to.",
					"Use String, a number, UUID, an enum or another type the application's ConversionService "
							+ "converts from String.");
		}
		return (invocation) -> {
			@SuppressWarnings("unchecked")
			List<String> found = (List<String>) texts.value(invocation);
			if (found.isEmpty() && fallback != null) {
				found = List.of(fallback);
			}
			if (found.isEmpty()) {
				if (mustExist) {
					throw HttpException.badRequest("missing " + what);
				}
				return optional ? Optional.empty() : (many ? convert(List.of(), what, target) : null);
			}
			Object value = many ? convert(found, what, target) : convert(found.get(0), what, target);
			return optional ? Optional.ofNullable(value) : value;
		};
	}

	private Object convert(Object value, String what, TypeDescriptor target) {
		try {
			return this.conversions.convert(value, (value instanceof String) ? STRING : STRINGS, target);
		}
		catch (ConversionException ex) {
			throw HttpException
				.badRequest(what + ": '" + value + "' is not a valid " + target.getType().getSimpleName());
		}
	}

	private static boolean isFile(MethodParameter parameter) {
		Class<?> type = parameter.nestedIfOptional().getNestedParameterType();
		if (List.class.isAssignableFrom(parameter.getParameterType())) {
			type = parameter.nested().getNestedParameterType();
		}
		return type == UploadedFile.class
				|| (MULTIPART_FILE && type.getName().equals("org.springframework.web.multipart.MultipartFile"));
	}

	private Argument file(MethodParameter parameter, String name, boolean required) {
		boolean many = List.class.isAssignableFrom(parameter.getParameterType());
		boolean optional = parameter.getParameterType() == Optional.class;
		Class<?> element = many ? parameter.nested().getNestedParameterType()
				: parameter.nestedIfOptional().getNestedParameterType();
		boolean multipart = element != UploadedFile.class;
		return (invocation) -> {
			List<Object> files = new ArrayList<>(1);
			for (UploadedFile file : invocation.request().files()) {
				if (file.field().equals(name)) {
					files.add(multipart ? new UploadedMultipartFile(file) : file);
				}
			}
			if (files.isEmpty() && required && !optional) {
				throw HttpException.badRequest("missing file '" + name + "'");
			}
			if (many) {
				return files;
			}
			Object first = files.isEmpty() ? null : files.get(0);
			return optional ? Optional.ofNullable(first) : first;
		};
	}

	private String name(MethodParameter parameter, String declared) {
		if (!declared.isEmpty()) {
			return declared;
		}
		String name = parameter.getParameterName();
		if (name == null) {
			throw new HandlerMethodException(
					this.where + " has parameter " + parameter.getParameterIndex()
							+ " without a name, and its class was compiled without -parameters.",
					"Name it in its annotation (@RequestParam(\"id\")), or compile with javac -parameters.");
		}
		return name;
	}

	private static String defaultValue(String declared) {
		return ValueConstants.DEFAULT_NONE.equals(declared) ? null : declared;
	}

}
