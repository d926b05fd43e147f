package com.example.uploads;

import io.evhttp.spring.event.FileReceivedEvent;
import io.evhttp.spring.event.UploadFailedEvent;
import io.evhttp.spring.event.UploadSnapshot;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * One line for each file received and each upload refused. Events come on the task
 * executor, never on an event loop, so a listener may block.
 */
@Component
class UploadLog {

	private static final Log logger = LogFactory.getLog(UploadLog.class);

	@EventListener
	void received(FileReceivedEvent event) {
		UploadSnapshot upload = event.snapshot();
		logger.info(upload.clientIp() + " sent " + upload.filename() + " (" + upload.bytes() + " bytes)");
	}

	@EventListener
	void failed(UploadFailedEvent event) {
		UploadSnapshot upload = event.snapshot();
		logger.warn(upload.clientIp() + " " + upload.path() + " refused " + event.status() + ": " + event.reason());
	}

}
