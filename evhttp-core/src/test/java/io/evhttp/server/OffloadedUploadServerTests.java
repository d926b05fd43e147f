package io.evhttp.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;

/**
 * Every upload test again, with disk writes on an executor (the AIO-like mode).
 */
class OffloadedUploadServerTests extends UploadServerTests {

	private final ExecutorService disk = Executors.newFixedThreadPool(2);

	@Override
	ServerOptions.Builder options() {
		return super.options().uploads((u) -> u.withDiskWriteExecutor(this.disk));
	}

	@Override
	boolean writesOnTheLoop() {
		return false;
	}

	@AfterEach
	void stopDiskExecutor() {
		this.disk.shutdownNow();
	}

}
