package io.evhttp.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FileNamesTests {

	@Test
	void namesNeverRepeatAndHaveTheStoresShape() {
		FileNames names = new FileNames("evhttp-42-", ".upload");
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 100_000; i++) {
			String name = names.next();
			assertThat(name).matches("evhttp-42-[0-9a-f]{32}\\.upload");
			assertThat(seen.add(name)).as("name %d repeats", i).isTrue();
		}
	}

	@Test
	void oneNameSaysNothingOfTheNext() {
		// a counter written out would differ from the next in a few low bits; AES output
		// differs in about half of its 128 (7 standard deviations either side allowed)
		FileNames names = new FileNames("", "");
		BigInteger previous = new BigInteger(names.next(), 16);
		for (int i = 0; i < 10_000; i++) {
			BigInteger next = new BigInteger(names.next(), 16);
			assertThat(previous.xor(next).bitCount()).isBetween(24, 104);
			previous = next;
		}
	}

	@Test
	void twoStoresDrawDifferentKeys() {
		Set<String> first = new HashSet<>();
		FileNames a = new FileNames("", "");
		FileNames b = new FileNames("", "");
		for (int i = 0; i < 1_000; i++) {
			first.add(a.next());
		}
		for (int i = 0; i < 1_000; i++) {
			assertThat(first).doesNotContain(b.next());
		}
	}

}
