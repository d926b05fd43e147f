package io.evhttp.spring.autoconfigure;

import io.evhttp.http.HttpException;
import io.evhttp.server.Request;
import io.evhttp.server.RequestOutcome;
import io.evhttp.spring.event.EvUploadEvent;
import io.evhttp.spring.event.FileOpenedEvent;
import io.evhttp.spring.event.FileProgressEvent;
import io.evhttp.spring.event.FileReceivedEvent;
import io.evhttp.spring.event.MultipartStartedEvent;
import io.evhttp.spring.event.RequestCompletedEvent;
import io.evhttp.spring.event.UploadFailedEvent;
import io.evhttp.spring.event.UploadSnapshot;
import io.evhttp.server.UploadedFile;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.ResolvableType;

/**
 * Publishes upload callbacks as {@link EvUploadEvent}s.
 *
 * <p>
 * Events nobody listens for are never built: which event types have listeners is read
 * once, when the server starts. Each request's events go through its own
 * {@link SerialDispatcher} on the application task executor: listeners run there, in
 * order, and never on an event loop. Progress events are throttled per file.
 */
final class UploadEventPublisher {

	static final List<Class<? extends EvUploadEvent>> TYPES = List.of(MultipartStartedEvent.class,
			FileOpenedEvent.class, FileProgressEvent.class, FileReceivedEvent.class, UploadFailedEvent.class,
			RequestCompletedEvent.class);

	private static final String DISPATCHER = UploadEventPublisher.class.getName() + ".dispatcher";

	private static final String PROGRESS = UploadEventPublisher.class.getName() + ".progress";

	/** Where the last progress event of the current file stood. */
	private static final class Progress {

		UploadedFile file;

		long bytes;

		long nanos;

	}

	private final ApplicationEventPublisher publisher;

	private final Executor executor;

	private final long progressBytes;

	private final long progressNanos;

	private final RequestTracking tracking;

	private volatile Set<Class<?>> wanted = Set.copyOf(TYPES);

	UploadEventPublisher(ApplicationEventPublisher publisher, Executor executor, EvHttpProperties.Events config,
			RequestTracking tracking) {
		this.publisher = publisher;
		this.executor = executor;
		this.tracking = tracking;
		this.progressBytes = Math.max(1, config.getProgressBytes().toBytes());
		this.progressNanos = config.getProgressInterval().toNanos();
	}

	/** Reads which event types the context has listeners for. */
	void detectListeners(ConfigurableApplicationContext context) {
		this.wanted = TYPES.stream()
			.filter((type) -> hasListener(context, type))
			.collect(Collectors.toUnmodifiableSet());
	}

	boolean wants(Class<? extends EvUploadEvent> type) {
		return this.wanted.contains(type);
	}

	void multipartStarted(Request request) {
		if (wants(MultipartStartedEvent.class)) {
			publish(request, new MultipartStartedEvent(snapshot(request, null)));
		}
	}

	void fileOpened(Request request, UploadedFile file) {
		if (wants(FileProgressEvent.class)) {
			Progress progress = (Progress) request.attributes().computeIfAbsent(PROGRESS, (k) -> new Progress());
			progress.file = file;
			progress.bytes = 0;
			progress.nanos = System.nanoTime();
		}
		if (wants(FileOpenedEvent.class)) {
			publish(request, new FileOpenedEvent(snapshot(request, file)));
		}
	}

	void fileWritten(Request request, UploadedFile file) {
		if (!wants(FileProgressEvent.class)) {
			return;
		}
		Progress progress = (Progress) request.attributes().get(PROGRESS);
		long now = System.nanoTime();
		long size = file.size();
		if (progress != null
				&& (size - progress.bytes >= this.progressBytes || now - progress.nanos >= this.progressNanos)) {
			progress.bytes = size;
			progress.nanos = now;
			publish(request, new FileProgressEvent(snapshot(request, file)));
		}
	}

	void fileReceived(Request request, UploadedFile file) {
		if (wants(FileProgressEvent.class)) {
			Progress progress = (Progress) request.attributes().get(PROGRESS);
			if (progress == null || progress.bytes != file.size() || file.size() == 0) {
				publish(request, new FileProgressEvent(snapshot(request, file)));
			}
		}
		if (wants(FileReceivedEvent.class)) {
			publish(request, new FileReceivedEvent(snapshot(request, file)));
		}
	}

	void completed(Request request, RequestOutcome outcome) {
		if (wants(RequestCompletedEvent.class)) {
			publish(request,
					new RequestCompletedEvent(snapshot(request, null), outcome.status(), request.bytesReceived(),
							outcome.bytesSent(), Duration.ofNanos(outcome.endNanos() - request.startNanos())));
		}
	}

	void failed(Request request, HttpException reason) {
		if (wants(UploadFailedEvent.class)) {
			Progress progress = (Progress) request.attributes().get(PROGRESS);
			UploadedFile file = (progress != null) ? progress.file : null;
			publish(request, new UploadFailedEvent(snapshot(request, file), reason.status(), reason.reason(),
					reason.code(), reason.limit()));
		}
	}

	@SuppressWarnings("unchecked")
	private void publish(Request request, ApplicationEvent event) {
		SerialDispatcher<ApplicationEvent> dispatcher = (SerialDispatcher<ApplicationEvent>) request.attributes()
			.computeIfAbsent(DISPATCHER,
					(k) -> new SerialDispatcher<ApplicationEvent>(this.executor, (e) -> publishInScope(request, e)));
		dispatcher.submit(event);
	}

	/**
	 * Listeners see the request's observation as current, so their spans join its trace.
	 */
	private void publishInScope(Request request, ApplicationEvent event) {
		try (RequestTracking.Scope scope = this.tracking.scope(request)) {
			this.publisher.publishEvent(event);
		}
	}

	private static UploadSnapshot snapshot(Request request, UploadedFile file) {
		HandlerRoute route = PortRouter.route(request);
		return new UploadSnapshot(request.id(), request.port(), request.path(), request.rawQuery(), request.clientIp(),
				PortRouter.pattern(request), (route != null) ? route.beanName() : null,
				(file != null) ? file.field() : null, (file != null) ? file.filename() : null,
				(file != null) ? file.contentType() : null, (file != null) ? file.size() : 0, request.contentLength());
	}

	private static boolean hasListener(ConfigurableApplicationContext context, Class<?> eventType) {
		if (!(context instanceof AbstractApplicationContext withListeners)) {
			return true;
		}
		ResolvableType type = ResolvableType.forClass(eventType);
		for (ApplicationListener<?> listener : withListeners.getApplicationListeners()) {
			if (listener instanceof GenericApplicationListener generic) {
				if (generic.supportsEventType(type)) {
					return true;
				}
			}
			else if (listener instanceof SmartApplicationListener smart) {
				if (smart.supportsEventType(eventType.asSubclass(ApplicationEvent.class))) {
					return true;
				}
			}
			else if (declaresUploadEvent(listener.getClass(), eventType)) {
				return true;
			}
		}
		for (String name : context.getBeanNamesForType(ApplicationListener.class, true, false)) {
			Class<?> beanType = context.getType(name);
			if (beanType != null && declaresUploadEvent(beanType, eventType)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A plain listener counts when it declares an upload event type that
	 * {@code eventType} is.
	 */
	private static boolean declaresUploadEvent(Class<?> listenerType, Class<?> eventType) {
		Class<?> declared = ResolvableType.forClass(listenerType).as(ApplicationListener.class).getGeneric().resolve();
		return declared != null && EvUploadEvent.class.isAssignableFrom(declared)
				&& declared.isAssignableFrom(eventType);
	}

}
