package io.evhttp.server;

import io.evhttp.upload.UploadStore;
import org.junit.jupiter.api.AfterEach;

/**
 * Every upload test again, into a store that takes bytes in small parts sent on its own
 * thread, pauses the connection while it is full, and finishes files later: what an
 * object store's sink does.
 */
class SpooledUploadServerTests extends UploadServerTests {

	private PartSpoolingStore store;

	@Override
	UploadStore store() {
		this.store = new PartSpoolingStore(this.tmp);
		return this.store;
	}

	@Override
	boolean writesOnTheLoop() {
		return false;
	}

	@AfterEach
	void stopStore() {
		if (this.store != null) {
			this.store.close();
		}
	}

}
