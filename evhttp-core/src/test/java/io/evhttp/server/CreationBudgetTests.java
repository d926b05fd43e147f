package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CreationBudgetTests {

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private final CreationBudget budget = new CreationBudget(this.now::get);

	private final List<String> ran = new ArrayList<>();

	private Runnable creation(String name, long nanos) {
		return () -> {
			this.ran.add(name);
			this.now.addAndGet(nanos);
		};
	}

	@Test
	void quickCreationsRunAtOnce() {
		this.budget.newPass();
		for (int i = 0; i < 1000; i++) {
			assertThat(this.budget.allowsNow()).isTrue();
			this.budget.run(creation("c" + i, 1_000)); // 1 µs each: half the budget in
														// all
		}
		assertThat(this.budget.allowsNow()).isTrue();
		assertThat(this.ran).hasSize(1000);
	}

	@Test
	void creationsPastThePassesBudgetWaitForTheNextPassesInOrder() {
		this.budget.newPass();
		this.budget.run(creation("a", CreationBudget.PASS_NANOS)); // one slow creation
		assertThat(this.budget.allowsNow()).isFalse();
		this.budget.defer(creation("b", CreationBudget.PASS_NANOS));
		this.budget.defer(creation("c", 1_000));
		assertThat(this.budget.hasDeferred()).isTrue();
		this.budget.newPass();
		assertThat(this.ran).containsExactly("a", "b");
		assertThat(this.budget.allowsNow()).as("b took the second pass").isFalse();
		this.budget.newPass();
		assertThat(this.ran).containsExactly("a", "b", "c");
		assertThat(this.budget.hasDeferred()).isFalse();
		assertThat(this.budget.allowsNow()).isTrue();
	}

	@Test
	void deferredCreationsRunFirstInTheNextPassAndCountAgainstIt() {
		this.budget.newPass();
		this.budget.run(creation("a", CreationBudget.PASS_NANOS));
		this.budget.defer(creation("b", 1_000));
		this.budget.defer(creation("c", 1_000));
		this.budget.newPass();
		assertThat(this.ran).containsExactly("a", "b", "c");
		this.budget.run(creation("d", CreationBudget.PASS_NANOS - 1_000));
		this.budget.defer(creation("e", 1_000));
		assertThat(this.budget.allowsNow()).as("budget is spent").isFalse();
		this.budget.newPass();
		assertThat(this.budget.allowsNow()).isTrue();
	}

	@Test
	void aFailingCreationStillCounts() {
		this.budget.newPass();
		assertThatIllegalStateException().isThrownBy(() -> this.budget.run(() -> {
			this.now.addAndGet(CreationBudget.PASS_NANOS);
			throw new IllegalStateException("disk gone");
		}));
		assertThat(this.budget.allowsNow()).isFalse();
	}

	@Test
	void onlyTheBoundThreadHasOne() throws Exception {
		assertThat(CreationBudget.ofThisThread()).isNull();
		this.budget.bindToThisThread();
		try {
			assertThat(CreationBudget.ofThisThread()).isSameAs(this.budget);
			CreationBudget[] other = new CreationBudget[] { this.budget };
			Thread thread = new Thread(() -> other[0] = CreationBudget.ofThisThread());
			thread.start();
			thread.join();
			assertThat(other[0]).isNull();
		}
		finally {
			this.budget.unbind();
		}
		assertThat(CreationBudget.ofThisThread()).isNull();
	}

}
