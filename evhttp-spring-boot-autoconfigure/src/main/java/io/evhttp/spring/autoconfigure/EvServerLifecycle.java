package io.evhttp.spring.autoconfigure;

import io.evhttp.server.EvServer;
import io.evhttp.server.ListenerConfig;
import io.evhttp.server.PortListener;
import io.evhttp.server.TlsOptions;
import io.evhttp.spring.event.EvListenerStartedEvent;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

/**
 * Starts the {@link EvServer} once the context is refreshed: one listener per port of the
 * {@code @EvUploadHandler} beans, then announces each bound port
 * ({@link EvListenerStartedEvent} and the {@code local.evhttp.port} property). Stops it
 * gracefully: idle connections close, requests in flight get
 * {@code evhttp.shutdown.grace-period}.
 */
public final class EvServerLifecycle implements SmartLifecycle, SmartInitializingSingleton {

	private static final Log log = LogFactory.getLog(EvServerLifecycle.class);

	/** Starts after most beans, stops before them, like Boot's web server. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

	private final EvServer server;

	private final EvHttpProperties properties;

	private final UploadHandlerDiscoverer discoverer;

	private final UploadEventPublisher events;

	private final Executor executor;

	private final ConfigurableApplicationContext context;

	private final UploadsInFlight inFlight;

	private final RequestTracking tracking;

	/** TLS of each listener. */
	private final EvHttpTls.Listeners tls;

	private final List<PortListener> listeners = new ArrayList<>();

	private volatile boolean running;

	private List<HandlerRoute> routes;

	/** The listener of evhttp.port, whose port is local.evhttp.port. */
	private PortListener defaultListener;

	/** Bean names served by each listener, for the port properties and events. */
	private final Map<PortListener, List<String>> handlers = new java.util.concurrent.ConcurrentHashMap<>();

	EvServerLifecycle(EvServer server, EvHttpProperties properties, UploadHandlerDiscoverer discoverer,
			UploadEventPublisher events, Executor executor, ConfigurableApplicationContext context,
			UploadsInFlight inFlight, RequestTracking tracking, EvHttpTls.Listeners tls) {
		this.tls = tls;
		this.inFlight = inFlight;
		this.tracking = tracking;
		this.server = server;
		this.properties = properties;
		this.discoverer = discoverer;
		this.events = events;
		this.executor = executor;
		this.context = context;
	}

	@Override
	public void start() {
		if (this.listeners.isEmpty()) {
			listen();
		}
		this.server.start();
		this.running = true;
		announcePorts();
	}

	/**
	 * Finds the routes once every bean exists and before any server starts, so that a
	 * handler declared wrongly fails startup before Tomcat or evhttp listens.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		this.routes = this.discoverer.discover();
	}

	private void listen() {
		// One listener per port; but each handler that asks for port 0 of its own gets a
		// listener of its own, never the default listener that may be on port 0 too.
		Map<String, List<HandlerRoute>> byListener = new LinkedHashMap<>();
		for (HandlerRoute route : (this.routes != null) ? this.routes : this.discoverer.discover()) {
			String key = (route.port() == 0 && this.discoverer.ownsPortZero(route.beanName())) ? "0 " + route.beanName()
					: String.valueOf(route.port());
			byListener.computeIfAbsent(key, (k) -> new ArrayList<>()).add(route);
		}
		this.events.detectListeners(this.context);
		if (byListener.isEmpty()) {
			log.info("No @EvUploadHandler beans: evhttp is not listening");
		}
		// every listener's TLS first: a wrong bundle fails before any port is bound
		Map<String, TlsOptions> tlsByListener = new LinkedHashMap<>();
		byListener.forEach((key, routes) -> tlsByListener.put(key, this.tls.forRoutes(routes)));
		for (Map.Entry<String, List<HandlerRoute>> entry : byListener.entrySet()) {
			List<HandlerRoute> routes = entry.getValue();
			int port = routes.get(0).port();
			TlsOptions tls = tlsByListener.get(entry.getKey());
			PortRouter router = new PortRouter(routes, this.executor, this.events, this.inFlight, this.tracking,
					ProblemDocuments.of(this.properties.getProblemDetails()));
			InetSocketAddress address = (this.properties.getAddress() != null)
					? new InetSocketAddress(this.properties.getAddress(), port) : new InetSocketAddress(port);
			try {
				PortListener listener = this.server.listen(new ListenerConfig(address, router, router, null, tls));
				this.listeners.add(listener);
				this.handlers.put(listener, routes.stream().map(HandlerRoute::beanName).toList());
				if (entry.getKey().equals(String.valueOf(this.properties.getPort()))) {
					this.defaultListener = listener;
				}
			}
			catch (IOException ex) {
				this.server.close();
				if (ex.getCause() instanceof BindException) {
					throw new EvHttpPortInUseException(port, ex);
				}
				throw new IllegalStateException("evhttp cannot listen on " + address, ex);
			}
		}
	}

	private void announcePorts() {
		Map<String, Object> ports = new LinkedHashMap<>();
		for (PortListener listener : this.listeners) {
			List<String> handlers = this.handlers.getOrDefault(listener, List.of());
			log.info("evhttp listening on port " + listener.port() + (listener.config().tls() != null ? " (https)" : "")
					+ " for " + handlers + " (tmp-path " + this.server.tmpPath() + ")");
			ports.putIfAbsent("local.evhttp.port", listener.port());
			if (listener == this.defaultListener) {
				ports.put("local.evhttp.port", listener.port());
			}
			for (String handler : handlers) {
				ports.put("local.evhttp.port." + handler, listener.port());
			}
		}
		MutablePropertySources sources = this.context.getEnvironment().getPropertySources();
		sources.remove("evhttp.ports");
		sources.addFirst(new MapPropertySource("evhttp.ports", ports));
		for (PortListener listener : this.listeners) {
			this.context
				.publishEvent(new EvListenerStartedEvent(listener, this.handlers.getOrDefault(listener, List.of())));
		}
	}

	@Override
	public void stop() {
		Duration grace = ShutdownTimes.gracePeriod(this.properties, this.context.getEnvironment());
		int open = this.server.connectionCount();
		if (open > 0) {
			log.info("evhttp stopping: " + open + " connections open, " + this.inFlight.size()
					+ " uploads in flight; waiting up to " + grace.toMillis() + " ms for requests to finish");
		}
		long began = System.nanoTime();
		int cut = this.server.stop(grace);
		if (cut > 0) {
			log.warn("evhttp stopped after " + (System.nanoTime() - began) / 1_000_000 + " ms, closing " + cut
					+ " connections whose requests outlived the grace period");
		}
		else if (open > 0) {
			log.info("evhttp stopped after " + (System.nanoTime() - began) / 1_000_000 + " ms");
		}
		if (this.properties.isCleanupOnDestroy()) {
			int deleted = this.server.sweepTmpPath(true);
			if (deleted > 0) {
				log.info("Deleted " + deleted + " temp files from " + this.server.tmpPath() + " at shutdown");
			}
		}
		this.running = false;
	}

	/**
	 * Stops on its own thread, so the context's shutdown-phase timeout applies to the
	 * grace period.
	 */
	@Override
	public void stop(Runnable callback) {
		Thread stopper = new Thread(() -> {
			try {
				stop();
			}
			finally {
				callback.run();
			}
		}, "evhttp-shutdown");
		stopper.start();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/** Bound listeners, in the order of their ports' first handler. */
	public List<PortListener> listeners() {
		return List.copyOf(this.listeners);
	}

}
