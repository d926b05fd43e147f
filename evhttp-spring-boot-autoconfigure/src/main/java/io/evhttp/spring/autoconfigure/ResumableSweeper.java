package io.evhttp.spring.autoconfigure;

import io.evhttp.resumable.ResumableUploads;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Sweeps expired resumable uploads while the server runs: at start (a restarted server
 * removes what expired while it was down) and every
 * {@code evhttp.resumable.sweep-interval}. Stopped with the server, so a stopped
 * application touches no upload.
 */
final class ResumableSweeper implements SmartLifecycle {

	private static final Log log = LogFactory.getLog(ResumableSweeper.class);

	private final ResumableUploads uploads;

	private final Duration interval;

	private volatile ScheduledExecutorService scheduler;

	ResumableSweeper(ResumableUploads uploads, Duration interval) {
		this.uploads = uploads;
		this.interval = interval;
	}

	@Override
	public void start() {
		ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "evhttp-resumable-sweeper");
			thread.setDaemon(true);
			return thread;
		});
		long every = Math.max(1, this.interval.toMillis());
		s.scheduleWithFixedDelay(this::sweep, 0, every, TimeUnit.MILLISECONDS);
		this.scheduler = s;
	}

	@Override
	public void stop() {
		ScheduledExecutorService s = this.scheduler;
		this.scheduler = null;
		if (s != null) {
			s.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		return EvServerLifecycle.PHASE;
	}

	private void sweep() {
		try {
			int removed = this.uploads.sweep();
			if (removed > 0) {
				log.info("Removed " + removed + " expired resumable uploads");
			}
		}
		catch (IOException | RuntimeException ex) {
			log.warn("Sweeping expired resumable uploads failed", ex);
		}
	}

}
