package io.evhttp.spring.progress;

import io.evhttp.spring.event.EvUploadEvent;
import io.evhttp.spring.event.FileOpenedEvent;
import io.evhttp.spring.event.FileProgressEvent;
import io.evhttp.spring.event.FileReceivedEvent;
import io.evhttp.spring.event.UploadFailedEvent;
import io.evhttp.spring.event.UploadSnapshot;
import java.nio.charset.StandardCharsets;

/**
 * One upload event as a server-sent event: {@code event: opened|progress|received|failed}
 * and a JSON object with the file's field, name, bytes so far and the request's expected
 * length (-1 unknown), and for a failure its status and reason. Nothing else of the
 * request (its client address, query or other files' owners) is sent.
 */
final class ProgressMessages {

	private ProgressMessages() {
	}

	/** The message, or {@code null} for events a page has no use for. */
	static byte[] of(EvUploadEvent event) {
		String type = (event instanceof FileOpenedEvent) ? "opened"
				: (event instanceof FileProgressEvent) ? "progress" : (event instanceof FileReceivedEvent) ? "received"
						: (event instanceof UploadFailedEvent) ? "failed" : null;
		if (type == null) {
			return null;
		}
		UploadSnapshot s = event.snapshot();
		StringBuilder json = new StringBuilder(160).append('{');
		string(json, "field", s.field()).append(',');
		string(json, "filename", s.filename()).append(',');
		json.append("\"bytes\":").append(s.bytes()).append(",\"expected\":").append(s.expectedTotal());
		if (event instanceof UploadFailedEvent failed) {
			json.append(",\"status\":").append(failed.status()).append(',');
			string(json, "reason", failed.reason());
			if (failed.code() != null) {
				string(json.append(','), "code", failed.code());
			}
			if (failed.limit() >= 0) {
				json.append(",\"limit\":").append(failed.limit());
			}
		}
		json.append('}');
		return ("event: " + type + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
	}

	private static StringBuilder string(StringBuilder json, String name, String value) {
		json.append('"').append(name).append("\":");
		if (value == null) {
			return json.append("null");
		}
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				default -> {
					if (c < 0x20 || c == 0x2028 || c == 0x2029) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		return json.append('"');
	}

}
