package io.evhttp.spring.autoconfigure;

import io.evhttp.http.HttpException;
import io.evhttp.resumable.NewUpload;
import io.evhttp.resumable.ResumableEvents;
import io.evhttp.resumable.UploadInfo;
import io.evhttp.server.Request;
import io.evhttp.spring.ResumableUploadGuard;
import io.evhttp.spring.event.ResumableUploadCompletedEvent;
import io.evhttp.spring.event.ResumableUploadCreatedEvent;
import io.evhttp.spring.event.ResumableUploadExpiredEvent;
import io.evhttp.spring.event.ResumableUploadFailedEvent;
import io.evhttp.spring.event.ResumableUploadProgressEvent;
import io.evhttp.spring.event.ResumableUploadTerminatedEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Turns the resumable endpoint's callbacks into application events and meter counts, and
 * asks the {@link ResumableUploadGuard} beans before each creation. The endpoint calls it
 * on its own threads, off the event loops, so events are published right there, in the
 * order they happened to each upload.
 */
final class ResumableEventPublisher implements ResumableEvents {

	private final ApplicationEventPublisher publisher;

	private final List<ResumableUploadGuard> guards;

	private final ResumableMeters meters;

	ResumableEventPublisher(ApplicationEventPublisher publisher, List<ResumableUploadGuard> guards,
			ResumableMeters meters) {
		this.publisher = publisher;
		this.guards = List.copyOf(guards);
		this.meters = meters;
	}

	@Override
	public void onCreate(Request request, NewUpload upload) {
		try {
			for (ResumableUploadGuard guard : this.guards) {
				guard.beforeCreate(request, upload);
			}
		}
		catch (HttpException ex) {
			throw explained(request, ex);
		}
	}

	/** The client is told why: the reason as the body, unless the guard wrote one. */
	private static HttpException explained(Request request, HttpException refusal) {
		if (refusal.body() == null && refusal.reason() != null) {
			refusal.withBody("text/plain; charset=utf-8", refusal.reason().getBytes(StandardCharsets.UTF_8));
		}
		String tus = request.header("Tus-Resumable");
		if (tus != null && !refusal.headers().contains("Tus-Resumable")) {
			refusal.withHeader("Tus-Resumable", "1.0.0"); // tus 1.0: on every answer
		}
		return refusal;
	}

	@Override
	public void onCreated(UploadInfo upload) {
		this.meters.uploadEvent("created");
		this.publisher.publishEvent(new ResumableUploadCreatedEvent(upload));
	}

	@Override
	public void onProgress(UploadInfo upload) {
		this.publisher.publishEvent(new ResumableUploadProgressEvent(upload));
	}

	@Override
	public void onCompleted(UploadInfo upload, URI location) {
		this.meters.uploadEvent("completed");
		this.publisher.publishEvent(new ResumableUploadCompletedEvent(upload, location));
	}

	@Override
	public void onTerminated(UploadInfo upload) {
		this.meters.uploadEvent("terminated");
		this.publisher.publishEvent(new ResumableUploadTerminatedEvent(upload));
	}

	@Override
	public void onExpired(UploadInfo upload) {
		this.meters.uploadEvent("expired");
		this.publisher.publishEvent(new ResumableUploadExpiredEvent(upload));
	}

	@Override
	public void onFailed(UploadInfo upload, Exception reason) {
		this.meters.uploadEvent("failed");
		this.publisher.publishEvent(new ResumableUploadFailedEvent(upload, reason));
	}

}
