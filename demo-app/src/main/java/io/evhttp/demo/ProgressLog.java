package io.evhttp.demo;

import io.evhttp.spring.event.FileOpenedEvent;
import io.evhttp.spring.event.FileProgressEvent;
import io.evhttp.spring.event.FileReceivedEvent;
import io.evhttp.spring.event.UploadFailedEvent;
import io.evhttp.spring.event.UploadSnapshot;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs uploads of the page's {@code /files} handler: a line when a file starts and ends,
 * and progress at debug (already throttled by {@code evhttp.events.*}). The echo
 * contract's uploads are left out: the benchmarks send thousands per second.
 */
@Component
class ProgressLog {

	private static final Log log = LogFactory.getLog(ProgressLog.class);

	@EventListener
	void opened(FileOpenedEvent event) {
		UploadSnapshot s = event.snapshot();
		if (isPage(s)) {
			log.info("Upload #" + s.requestId() + " from " + s.clientIp() + ": receiving " + s.filename() + " ("
					+ ((s.expectedTotal() >= 0) ? s.expectedTotal() + " bytes in the request" : "chunked") + ")");
		}
	}

	@EventListener
	void progress(FileProgressEvent event) {
		UploadSnapshot s = event.snapshot();
		if (isPage(s) && log.isDebugEnabled()) {
			log.debug("Upload #" + s.requestId() + ": " + s.filename() + " " + s.bytes() + " bytes");
		}
	}

	@EventListener
	void received(FileReceivedEvent event) {
		UploadSnapshot s = event.snapshot();
		if (isPage(s)) {
			log.info("Upload #" + s.requestId() + ": received " + s.filename() + ", " + s.bytes() + " bytes");
		}
	}

	@EventListener
	void failed(UploadFailedEvent event) {
		UploadSnapshot s = event.snapshot();
		if (isPage(s)) {
			log.info("Upload #" + s.requestId() + " failed with " + event.status() + ": " + event.reason());
		}
	}

	private static boolean isPage(UploadSnapshot snapshot) {
		return snapshot.path().startsWith("/files");
	}

}
