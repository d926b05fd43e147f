package io.evhttp.spring.autoconfigure;

import io.evhttp.server.Handler;
import io.evhttp.server.UploadListener;
import io.evhttp.spring.EvRoute;
import io.evhttp.spring.EvUploadHandler;
import io.evhttp.spring.method.HandlerMethodException;
import io.evhttp.spring.method.HandlerMethods;
import io.evhttp.upload.UploadStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

/**
 * Finds the {@code @EvUploadHandler} and {@link EvRoute} beans and turns each into a
 * {@link HandlerRoute}, failing startup with a message naming the bean when one does not
 * fit: neither a {@link Handler} nor a bean with handler methods (or one of those that
 * cannot be served: see {@link HandlerMethods}), a port or size that does not parse, a
 * store that is no {@link UploadStore} bean, or a port and path already claimed by
 * another bean.
 */
final class UploadHandlerDiscoverer {

	private final ListableBeanFactory beans;

	private final Environment environment;

	private final EvHttpProperties properties;

	private final java.util.Set<String> ownPortZero = new java.util.HashSet<>();

	private final List<HandlerRoute> declared;

	/**
	 * @param declared routes built by configuration rather than annotated (the resumable
	 * endpoint)
	 */
	UploadHandlerDiscoverer(ListableBeanFactory beans, Environment environment, EvHttpProperties properties,
			List<HandlerRoute> declared) {
		this.beans = beans;
		this.environment = environment;
		this.properties = properties;
		this.declared = List.copyOf(declared);
	}

	/**
	 * Whether {@code beanName} asked for port 0 itself rather than through evhttp.port.
	 */
	boolean ownsPortZero(String beanName) {
		return this.ownPortZero.contains(beanName);
	}

	List<HandlerRoute> discover() {
		this.ownPortZero.clear();
		List<HandlerRoute> routes = new ArrayList<>();
		Map<String, String> claimed = new HashMap<>();
		for (String name : this.beans.getBeanNamesForAnnotation(EvUploadHandler.class)) {
			Object bean = this.beans.getBean(name);
			EvUploadHandler annotation = AnnotatedElementUtils.findMergedAnnotation(AopUtils.getTargetClass(bean),
					EvUploadHandler.class);
			if (annotation == null) {
				continue;
			}
			Handler handler = handler(name, bean, annotation);
			int port = port(name, annotation.port());
			if (port == 0 && !annotation.port().isBlank()) {
				this.ownPortZero.add(name);
			}
			claim(claimed, name, port, List.of(annotation.path()));
			routes.add(new HandlerRoute(name, handler, callbacks(handler), port, List.of(annotation.path()),
					annotation.threading(), size(name, "maxFileSize", annotation.maxFileSize()),
					size(name, "maxRequestSize", annotation.maxRequestSize()), duration(name, annotation.timeout()),
					annotation.events(), store(name, annotation.store()), sslBundle(annotation.sslBundle())));
		}
		this.beans.getBeansOfType(EvRoute.class).forEach((name, route) -> {
			int port = (route.port() != null) ? route.port() : this.properties.getPort();
			if (route.port() != null && route.port() == 0) {
				this.ownPortZero.add(name);
			}
			claim(claimed, name, port, route.paths());
			routes.add(new HandlerRoute(name, route.handler(), callbacks(route.handler()), port, route.paths(),
					route.threading(), bytes(route.maxFileSize()), bytes(route.maxRequestSize()), route.timeout(),
					route.events(), route.store(), null));
		});
		for (HandlerRoute route : this.declared) {
			claim(claimed, route.beanName(), route.port(), route.paths());
			routes.add(route);
		}
		return routes;
	}

	/** The bean itself when it is a {@link Handler}, else its handler methods. */
	private Handler handler(String name, Object bean, EvUploadHandler annotation) {
		Class<?> type = AopUtils.getTargetClass(bean);
		ClassLoader loader = (this.beans instanceof ConfigurableBeanFactory configurable)
				? configurable.getBeanClassLoader() : getClass().getClassLoader();
		// spring-web is optional: handler methods need it
		boolean methods = ClassUtils.isPresent("org.springframework.web.bind.annotation.RequestMapping", loader);
		boolean mapped = methods && HandlerMethods.hasMappings(type);
		if (bean instanceof Handler handler) {
			if (mapped) {
				// one of the two would never be called
				throw new EvHttpHandlerException(
						"Bean '" + name + "' implements " + Handler.class.getName() + " and has handler methods.",
						"Either remove the handler methods' mapping annotations, or stop implementing Handler in "
								+ type.getName() + ".");
			}
			return handler;
		}
		if (mapped) {
			try {
				String base = (annotation.path().length > 0) ? annotation.path()[0] : "/**";
				return HandlerMethods.of(name, bean, base, this.beans);
			}
			catch (HandlerMethodException ex) {
				throw new EvHttpHandlerException(ex.getMessage(), ex.action());
			}
		}
		throw new EvHttpHandlerException(
				"Bean '" + name + "' is annotated @EvUploadHandler but neither implements " + Handler.class.getName()
						+ " nor has handler methods.",
				"Implement io.evhttp.server.Handler (handle(Request, Response)) in " + type.getName()
						+ (methods ? ", or annotate its methods with @GetMapping, @PostMapping ..."
								: ", or add org.springframework:spring-web and annotate its methods with "
										+ "@GetMapping, @PostMapping ...")
						+ ", or remove @EvUploadHandler.");
	}

	private static void claim(Map<String, String> claimed, String name, int port, List<String> paths) {
		for (String path : paths) {
			String other = claimed.putIfAbsent(port + " " + path, name);
			if (other != null) {
				throw new EvHttpHandlerException(
						"Beans '" + other + "' and '" + name + "' both claim path '" + path + "' on port " + port + ".",
						"Give one of them another path or port, or remove one.");
			}
		}
	}

	private static UploadListener callbacks(Object handler) {
		return (handler instanceof UploadListener listener) ? listener : UploadListener.NONE;
	}

	private static long bytes(DataSize size) {
		return (size != null) ? size.toBytes() : Long.MIN_VALUE;
	}

	private int port(String bean, String value) {
		String resolved = this.environment.resolveRequiredPlaceholders(value).trim();
		if (resolved.isEmpty()) {
			return this.properties.getPort();
		}
		try {
			int port = Integer.parseInt(resolved);
			if (port < 0 || port > 65535) {
				throw new NumberFormatException();
			}
			return port;
		}
		catch (NumberFormatException ex) {
			throw new EvHttpHandlerException(
					"Bean '" + bean + "' has an invalid @EvUploadHandler port: '" + value + "'.",
					"Use a port from 0 to 65535 (0 picks a free one), a placeholder resolving to one, or leave it "
							+ "empty for evhttp.port.");
		}
	}

	private String sslBundle(String value) {
		String resolved = this.environment.resolveRequiredPlaceholders(value).trim();
		return resolved.isEmpty() ? null : resolved;
	}

	private UploadStore store(String bean, String value) {
		String resolved = this.environment.resolveRequiredPlaceholders(value).trim();
		if (resolved.isEmpty()) {
			return null;
		}
		if (!this.beans.containsBean(resolved)) {
			throw new EvHttpHandlerException(
					"Bean '" + bean + "' names store '" + resolved
							+ "' in @EvUploadHandler, but there is no such bean.",
					"Define an UploadStore bean named '" + resolved + "', or correct the name.");
		}
		if (!(this.beans.getBean(resolved) instanceof UploadStore store)) {
			throw new EvHttpHandlerException(
					"Bean '" + bean + "' names store '" + resolved + "' in @EvUploadHandler, which is not an "
							+ UploadStore.class.getName() + ".",
					"Name a bean that implements " + UploadStore.class.getName() + ".");
		}
		return store;
	}

	private java.time.Duration duration(String bean, String value) {
		String resolved = this.environment.resolveRequiredPlaceholders(value).trim();
		if (resolved.isEmpty()) {
			return null;
		}
		try {
			return org.springframework.boot.convert.DurationStyle.detectAndParse(resolved);
		}
		catch (IllegalArgumentException ex) {
			throw new EvHttpHandlerException(
					"Bean '" + bean + "' has an invalid @EvUploadHandler timeout: '" + value + "'.",
					"Write a duration such as 30s, 5m or PT1H, or leave it empty for evhttp.timeout.");
		}
	}

	private long size(String bean, String attribute, String value) {
		String resolved = this.environment.resolveRequiredPlaceholders(value).trim();
		if (resolved.isEmpty()) {
			return Long.MIN_VALUE;
		}
		try {
			return DataSize.parse(resolved).toBytes();
		}
		catch (IllegalArgumentException ex) {
			throw new EvHttpHandlerException(
					"Bean '" + bean + "' has an invalid @EvUploadHandler " + attribute + ": '" + value + "'.",
					"Write a size such as 10MB, 512KB or 2GB (units B, KB, MB, GB, TB), or leave it empty for "
							+ "the global limit.");
		}
	}

}
