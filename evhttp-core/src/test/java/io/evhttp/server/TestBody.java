package io.evhttp.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A {@link BodyControl} that records what readers ask of it, and runs the loop's tasks
 * when told to.
 */
final class TestBody implements BodyControl {

	final List<String> calls = new ArrayList<>();

	final ConcurrentLinkedQueue<Runnable> loop = new ConcurrentLinkedQueue<>();

	@Override
	public void pause(PauseReason reason) {
		this.calls.add("pause " + reason);
	}

	@Override
	public void resume(PauseReason reason) {
		this.loop.add(() -> this.calls.add("resume " + reason));
	}

	@Override
	public void onLoop(Runnable task) {
		this.loop.add(task);
	}

	@Override
	public void complete() {
		this.calls.add("complete");
	}

	@Override
	public void fail(Throwable failure) {
		this.loop.add(() -> this.calls.add("fail " + BodyFailures.of(failure).status()));
	}

	/** Runs what was handed to the loop, as the loop would. */
	void runLoop() {
		Runnable task;
		while ((task = this.loop.poll()) != null) {
			task.run();
		}
	}

}
