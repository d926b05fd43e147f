package io.evhttp.spring.autoconfigure;

import io.evhttp.server.EvServer;
import io.evhttp.server.PortListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Up when every listener is bound, {@code tmp-path} is a writable directory and the
 * server's store can take uploads (for S3: the bucket answers; checked at most every few
 * seconds) and {@code tmp-path} has at least {@code evhttp.health.free-space-threshold}
 * free; reports the listening ports, the free space of {@code tmp-path}, the space
 * promised to uploads in flight, and why the store cannot take uploads.
 */
public final class EvHttpHealthIndicator extends AbstractHealthIndicator {

	private final EvServer server;

	private final EvServerLifecycle lifecycle;

	private final StoreCheck storeCheck;

	private final long freeSpaceThreshold;

	public EvHttpHealthIndicator(EvServer server, EvServerLifecycle lifecycle, long freeSpaceThreshold) {
		super("evhttp health check failed");
		this.server = server;
		this.lifecycle = lifecycle;
		this.freeSpaceThreshold = freeSpaceThreshold;
		this.storeCheck = new StoreCheck(server.store(), StoreCheck.TTL, System::nanoTime);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		List<PortListener> listeners = this.lifecycle.listeners();
		Path tmp = this.server.tmpPath();
		boolean listening = this.lifecycle.isRunning() && listeners.stream().allMatch(PortListener::isListening);
		boolean writable = Files.isDirectory(tmp) && Files.isWritable(tmp);
		long free = writable ? this.server.tmpPathUsableSpace() : 0;
		boolean space = free >= this.freeSpaceThreshold;
		String storeFailure = this.storeCheck.failure();
		if (storeFailure != null) {
			builder.withDetail("storeError", storeFailure);
		}
		builder
			.status((listening && writable && space && storeFailure == null)
					? org.springframework.boot.health.contributor.Status.UP
					: org.springframework.boot.health.contributor.Status.DOWN)
			.withDetail("ports", listeners.stream().map(PortListener::port).toList())
			.withDetail("tmpPath", tmp.toString())
			.withDetail("tmpPathWritable", writable)
			.withDetail("tmpPathFreeBytes", free)
			.withDetail("freeSpaceThreshold", this.freeSpaceThreshold)
			.withDetail("reservedBytes", this.server.reservedBytes())
			.withDetail("connections", this.server.connectionCount());
	}

}
