package io.evhttp.spring.autoconfigure;

import io.evhttp.server.Handler;
import io.evhttp.server.UploadListener;
import io.evhttp.spring.EvUploadHandler;
import io.evhttp.upload.UploadStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Finds the {@code @EvUploadHandler} beans and turns each into a {@link HandlerRoute},
 * failing startup with a message naming the bean when one does not fit: not a
 * {@link Handler}, a port or size that does not parse, a store that is no
 * {@link UploadStore} bean, or a port and path already claimed by another bean.
 */
final class UploadHandlerDiscoverer {

	private final ListableBeanFactory beans;

	private final Environment environment;

	private final EvHttpProperties properties;

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

	List<HandlerRoute> discover() {
		List<HandlerRoute> routes = new ArrayList<>();
		Map<String, String> claimed = new HashMap<>();
		for (String name : this.beans.getBeanNamesForAnnotation(EvUploadHandler.class)) {
			Object bean = this.beans.getBean(name);
			EvUploadHandler annotation = AnnotatedElementUtils.findMergedAnnotation(AopUtils.getTargetClass(bean),
					EvUploadHandler.class);
			if (annotation == null) {
				continue;
			}
			if (!(bean instanceof Handler handler)) {
				throw new IllegalStateException("Bean '" + name
						+ "' is annotated @EvUploadHandler but does not implement " + Handler.class.getName());
			}
			int port = port(name, annotation.port());
			claim(claimed, name, port, List.of(annotation.path()));
			UploadListener callbacks = (bean instanceof UploadListener listener) ? listener : UploadListener.NONE;
			routes.add(new HandlerRoute(name, handler, callbacks, port, List.of(annotation.path()),
					annotation.threading(), size(name, "maxFileSize", annotation.maxFileSize()),
					size(name, "maxRequestSize", annotation.maxRequestSize()), duration(name, annotation.timeout()),
					annotation.events(), store(name, annotation.store())));
		}
		for (HandlerRoute route : this.declared) {
			claim(claimed, route.beanName(), route.port(), route.paths());
			routes.add(route);
		}
		return routes;
	}

	private static void claim(Map<String, String> claimed, String name, int port, List<String> paths) {
		for (String path : paths) {
			String other = claimed.putIfAbsent(port + " " + path, name);
			if (other != null) {
				throw new IllegalStateException(
						"Beans '" + other + "' and '" + name + "' both claim path '" + path + "' on port " + port);
			}
		}
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
			throw new IllegalStateException(
					"Bean '" + bean + "' has an invalid @EvUploadHandler port: '" + value + "'");
		}
	}

	private UploadStore store(String bean, String value) {
		String resolved = this.environment.resolveRequiredPlaceholders(value).trim();
		if (resolved.isEmpty()) {
			return null;
		}
		if (!this.beans.containsBean(resolved)) {
			throw new IllegalStateException("Bean '" + bean + "' names store '" + resolved
					+ "' in @EvUploadHandler, but there is no such bean");
		}
		if (!(this.beans.getBean(resolved) instanceof UploadStore store)) {
			throw new IllegalStateException("Bean '" + bean + "' names store '" + resolved
					+ "' in @EvUploadHandler, which is not an " + UploadStore.class.getName());
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
			throw new IllegalStateException(
					"Bean '" + bean + "' has an invalid @EvUploadHandler timeout: '" + value + "'");
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
			throw new IllegalStateException(
					"Bean '" + bean + "' has an invalid @EvUploadHandler " + attribute + ": '" + value + "'");
		}
	}

}
