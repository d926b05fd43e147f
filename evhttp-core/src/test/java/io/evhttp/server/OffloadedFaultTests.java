package io.evhttp.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;

/** Every fault test again, with disk writes on an executor. */
class OffloadedFaultTests extends FaultTests {

	private final ExecutorService disk = Executors.newFixedThreadPool(2);

	@Override
	ServerOptions.Builder options() {
		return super.options().uploads((u) -> u.withDiskWriteExecutor(this.disk));
	}

	@AfterEach
	void stopDiskExecutor() {
		this.disk.shutdownNow();
	}

}
