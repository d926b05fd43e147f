package io.evhttp.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyValueSet} holds what Micrometer's context map would hold after the same adds
 * and removals, and hands a convention's set back as it came when it replaces every key.
 */
class KeyValueSetTests {

	private static final String[] KEYS = { "exception", "method", "outcome", "status", "uri", "region" };

	@Test
	void aSetThatReplacesEveryKeyIsKeptAsItCame() {
		KeyValueSet set = new KeyValueSet();
		KeyValues atStart = KeyValues.of("method", "GET", "status", "UNKNOWN", "uri", "/files");
		KeyValues atStop = KeyValues.of("method", "GET", "outcome", "SUCCESS", "status", "200", "uri", "/files");
		set.add(atStart);
		assertThat(set.get()).isSameAs(atStart);
		set.add(atStop);
		assertThat(set.get()).isSameAs(atStop);
	}

	@Test
	void aSetMissingAKeyAlreadyHeldIsMergedAndTheNewValuesWin() {
		KeyValueSet set = new KeyValueSet();
		set.add(KeyValues.of("method", "GET", "region", "eu", "uri", "/files"));
		set.add(KeyValues.of("method", "PUT", "uri", "/files"));
		assertThat(set.get()).containsExactly(KeyValue.of("method", "PUT"), KeyValue.of("region", "eu"),
				KeyValue.of("uri", "/files"));
		assertThat(set.get("region")).isEqualTo(KeyValue.of("region", "eu"));
		set.remove("region");
		assertThat(set.get("region")).isNull();
		assertThat(set.get()).containsExactly(KeyValue.of("method", "PUT"), KeyValue.of("uri", "/files"));
	}

	@Test
	void agreesWithMicrometersContextOnRandomAddsAndRemovals() {
		Random random = new Random(19);
		for (int round = 0; round < 2_000; round++) {
			KeyValueSet set = new KeyValueSet();
			Observation.Context reference = new Observation.Context();
			List<String> done = new ArrayList<>();
			for (int step = 0; step < 8; step++) {
				switch (random.nextInt(3)) {
					case 0 -> {
						KeyValues added = randomSet(random);
						set.add(added);
						reference.addLowCardinalityKeyValues(added);
						done.add("add " + added);
					}
					case 1 -> {
						KeyValue added = KeyValue.of(KEYS[random.nextInt(KEYS.length)], "v" + random.nextInt(3));
						set.add(added);
						reference.addLowCardinalityKeyValue(added);
						done.add("add " + added);
					}
					default -> {
						String key = KEYS[random.nextInt(KEYS.length)];
						set.remove(key);
						reference.removeLowCardinalityKeyValue(key);
						done.add("remove " + key);
					}
				}
				assertThat(set.get()).as("after %s", done).isEqualTo(reference.getLowCardinalityKeyValues());
				for (String key : KEYS) {
					assertThat(set.get(key)).as("%s after %s", key, done)
						.isEqualTo(reference.getLowCardinalityKeyValue(key));
				}
			}
		}
	}

	private static KeyValues randomSet(Random random) {
		List<KeyValue> keyValues = new ArrayList<>();
		for (String key : KEYS) {
			if (random.nextInt(3) != 0) {
				keyValues.add(KeyValue.of(key, "v" + random.nextInt(3)));
			}
		}
		return KeyValues.of(keyValues);
	}

}
