package io.evhttp.spring.progress;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The private progress channel: {@code evhttp.progress.*}.
 */
@ConfigurationProperties("evhttp.progress")
public class ProgressChannelProperties {

	/**
	 * Whether to serve each upload's progress as server-sent events to whoever knows the
	 * upload id the upload request carries in its upload-id query parameter.
	 */
	private boolean enabled;

	/**
	 * Path under which GET {path}/{upload-id} streams the progress of that upload.
	 */
	private String path = "/evhttp/progress";

	/**
	 * Time between two comment lines on an idle stream, which keep proxies from closing
	 * it and find subscribers that went away.
	 */
	private Duration heartbeat = Duration.ofSeconds(15);

	/**
	 * Streams open at once across all upload ids; more are refused with 503.
	 */
	private int maxSubscribers = 10_000;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public Duration getHeartbeat() {
		return this.heartbeat;
	}

	public void setHeartbeat(Duration heartbeat) {
		this.heartbeat = heartbeat;
	}

	public int getMaxSubscribers() {
		return this.maxSubscribers;
	}

	public void setMaxSubscribers(int maxSubscribers) {
		this.maxSubscribers = maxSubscribers;
	}

}
