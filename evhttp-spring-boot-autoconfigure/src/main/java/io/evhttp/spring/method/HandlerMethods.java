package io.evhttp.spring.method;

import io.evhttp.server.Handler;
import io.evhttp.server.UploadListener;
import io.evhttp.server.Response;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.SynthesizingMethodParameter;
import org.springframework.core.convert.ConversionService;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * Turns a bean whose methods carry {@code @RequestMapping} ({@code @GetMapping},
 * {@code @PostMapping} ...) into a {@link Handler}, checking every mapping at startup: a
 * pattern that does not parse, two methods for one HTTP method and pattern, a condition
 * evhttp does not evaluate ({@code params}, {@code headers}, {@code consumes},
 * {@code produces}), a parameter that cannot be bound, or a return value that cannot be
 * written (a {@code CompletionStage}, JSON without Jackson) fails with a
 * {@link HandlerMethodException} naming the bean and method.
 *
 * <p>
 * A method's path is relative to {@code base}: the handler's path without its trailing
 * {@code /**}, then the path of a {@code @RequestMapping} on the class, if any.
 */
public final class HandlerMethods {

	private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

	/**
	 * A variable of a path pattern: {@code {name}}, {@code {name:regex}},
	 * {@code {*rest}}.
	 */
	private static final Pattern VARIABLE = Pattern.compile("\\{\\*?([^}:]+)");

	private HandlerMethods() {
	}

	/**
	 * Whether {@code type} has a method annotated {@code @RequestMapping} or one of its
	 * shortcuts.
	 */
	public static boolean hasMappings(Class<?> type) {
		return !mappings(type).isEmpty();
	}

	/**
	 * The handler serving {@code bean}'s mapped methods under {@code base}.
	 * @param beanName the bean's name, for messages
	 * @param base an Ant-style path of the handler ({@code /files/**}): methods map below
	 * it
	 * @param beans where the JSON mapper and the conversion service are found
	 * @throws HandlerMethodException when a mapping cannot be served
	 */
	public static Handler of(String beanName, Object bean, String base, BeanFactory beans) {
		Class<?> type = AopUtils.getTargetClass(bean);
		Results results = new Results(JsonBodies.of(beans));
		ConversionService conversions = conversions(beans);
		String prefix = basePath(base);
		String classPath = classPath(type);
		boolean below = base.contains("*");
		List<MappedMethod> mapped = new ArrayList<>();
		Map<String, String> claimed = new HashMap<>();
		Set<String> allVariables = new LinkedHashSet<>();
		mappings(type).forEach((method, mapping) -> {
			String where = "Bean '" + beanName + "' method " + method.getName() + "()";
			check(where, mapping);
			Set<String> httpMethods = new LinkedHashSet<>();
			Arrays.stream(mapping.method()).map(RequestMethod::name).forEach(httpMethods::add);
			String[] paths = (mapping.path().length == 0) ? new String[] { "" } : mapping.path();
			List<PathPattern> patterns = Arrays.stream(paths)
				.map((path) -> relative(classPath) + relative(path))
				.map((path) -> parse(where, base, below, prefix, path))
				.toList();
			Set<String> variables = new LinkedHashSet<>();
			patterns.forEach((pattern) -> variables.addAll(captured(pattern)));
			allVariables.addAll(variables);
			Invoker invoker = invoker(bean, method, new Arguments(conversions, where, variables), results, false);
			for (PathPattern pattern : patterns) {
				claim(claimed, where, pattern, httpMethods);
				mapped.add(new MappedMethod(pattern, Set.copyOf(httpMethods), invoker));
			}
		});
		Map<Method, Invoker> exceptionHandlers = new HashMap<>();
		MethodIntrospector
			.selectMethods(type,
					(MethodIntrospector.MetadataLookup<ExceptionHandler>) (method) -> AnnotatedElementUtils
						.findMergedAnnotation(method, ExceptionHandler.class))
			.keySet()
			.forEach((method) -> {
				String where = "Bean '" + beanName + "' method " + method.getName() + "()";
				exceptionHandlers.put(method,
						invoker(bean, method, new Arguments(conversions, where, allVariables), results, true));
			});
		try {
			UploadListener own = (bean instanceof UploadListener listener) ? listener : UploadListener.NONE;
			return new MethodHandler(mapped, new ExceptionAnswers(type, exceptionHandlers), own);
		}
		catch (IllegalStateException ex) {
			// two @ExceptionHandler methods for one exception type
			throw new HandlerMethodException("Bean '" + beanName + "': " + ex.getMessage(),
					"Keep one @ExceptionHandler method per exception type.");
		}
	}

	/** {@code /files/**} → {@code /files}; {@code /**} → empty. */
	static String basePath(String pattern) {
		String base = pattern.endsWith("/**") ? pattern.substring(0, pattern.length() - 3) : pattern;
		return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

	private static String classPath(Class<?> type) {
		RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(type, RequestMapping.class);
		return (mapping != null && mapping.path().length > 0) ? basePath(mapping.path()[0]) : "";
	}

	private static Map<Method, RequestMapping> mappings(Class<?> type) {
		return new LinkedHashMap<>(MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<RequestMapping>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, RequestMapping.class)));
	}

	private static Invoker invoker(Object bean, Method declared, Arguments arguments, Results results,
			boolean exceptionHandler) {
		Method method = AopUtils.selectInvocableMethod(declared, bean.getClass());
		Argument[] bound = new Argument[method.getParameterCount()];
		boolean takesResponse = false;
		for (int i = 0; i < bound.length; i++) {
			MethodParameter parameter = new SynthesizingMethodParameter(declared, i);
			parameter.initParameterNameDiscovery(NAMES);
			bound[i] = arguments.of(parameter, exceptionHandler);
			takesResponse |= parameter.getParameterType() == Response.class;
		}
		if (CompletionStage.class.isAssignableFrom(method.getReturnType())) {
			throw new HandlerMethodException(arguments.where() + " returns a CompletionStage, which is not awaited.",
					"Return the value itself (the method may block with threading EXECUTOR), or take the "
							+ "Response, return void and answer when the work completes.");
		}
		if (!results.canWrite(method.getReturnType())) {
			throw new HandlerMethodException(
					arguments.where() + " returns " + method.getReturnType().getName()
							+ ", written as JSON, but Jackson is not on the classpath.",
					"Add tools.jackson.core:jackson-databind, or return String, byte[], Path, Resource or "
							+ "ResponseEntity.");
		}
		ResponseStatus status = AnnotatedElementUtils.findMergedAnnotation(declared, ResponseStatus.class);
		return new Invoker(bean, method, bound, results, (status != null) ? status.code().value() : 200, takesResponse);
	}

	private static void check(String where, RequestMapping mapping) {
		List<String> conditions = new ArrayList<>();
		if (mapping.params().length > 0) {
			conditions.add("params");
		}
		if (mapping.headers().length > 0) {
			conditions.add("headers");
		}
		if (mapping.consumes().length > 0) {
			conditions.add("consumes");
		}
		if (mapping.produces().length > 0) {
			conditions.add("produces");
		}
		if (!conditions.isEmpty()) {
			throw new HandlerMethodException(
					where + " maps with " + String.join(", ", conditions) + ", which evhttp does not evaluate.",
					"Remove them and check the request in the method (Request gives headers, query and fields).");
		}
	}

	/** A mapping's path as a suffix: {@code {name}} and {@code /{name}} alike. */
	private static String relative(String path) {
		return (path.isEmpty() || path.startsWith("/")) ? path : "/" + path;
	}

	private static PathPattern parse(String where, String base, boolean below, String prefix, String relative) {
		if (!below && !relative.isEmpty()) {
			// the route matches its path exactly: nothing below it is routed here
			throw new HandlerMethodException(
					where + " maps '" + relative + "' below @EvUploadHandler path '" + base
							+ "', which routes that path alone.",
					"Use path = \"" + prefix + "/**\" in @EvUploadHandler, or map the method without a path.");
		}
		String path = prefix + relative;
		try {
			return PathPatternParser.defaultInstance.parse(path.isEmpty() ? "/" : path);
		}
		catch (PatternParseException ex) {
			throw new HandlerMethodException(
					where + " maps path '" + path + "', which is no valid pattern: " + ex.getMessage() + ".",
					"Write a path such as /{name} or /{*rest}.");
		}
	}

	private static Set<String> captured(PathPattern pattern) {
		Set<String> names = new LinkedHashSet<>();
		Matcher matcher = VARIABLE.matcher(pattern.getPatternString());
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

	private static void claim(Map<String, String> claimed, String where, PathPattern pattern, Set<String> methods) {
		for (String method : methods.isEmpty() ? Set.of("*") : methods) {
			// equal up to the names of their variables: the same requests
			String key = method + " "
					+ pattern.getPatternString().replaceAll("\\{\\*[^}]*}", "{*}").replaceAll("\\{[^*}][^}]*}", "{}");
			String other = claimed.putIfAbsent(key, where);
			if (other != null) {
				throw new HandlerMethodException(
						where + " and " + other.substring(other.indexOf(" method ") + 1) + " both map "
								+ ("*".equals(method) ? "any method" : method) + " " + pattern.getPatternString() + ".",
						"Give one of them another path or HTTP method.");
			}
		}
	}

	private static ConversionService conversions(BeanFactory beans) {
		if (beans instanceof ConfigurableBeanFactory configurable && configurable.getConversionService() != null) {
			return configurable.getConversionService();
		}
		return ApplicationConversionService.getSharedInstance();
	}

}
