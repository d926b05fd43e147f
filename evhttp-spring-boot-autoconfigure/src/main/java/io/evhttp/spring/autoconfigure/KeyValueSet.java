package io.evhttp.spring.autoconfigure;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import java.util.Iterator;

/**
 * One cardinality of an observation context's key values, kept as one immutable
 * {@link KeyValues} swapped whole, where Micrometer's context keeps a concurrent map.
 *
 * <p>
 * A request's observation gets its key values from the convention as a cached set at
 * start and again at stop, and meters read them at start and at stop. With a map each add
 * is a put per key and each read copies, sorts and de-duplicates the values: about a
 * sixth of the event loop's CPU for a {@code hello} request. Here a set that replaces
 * every key already held is taken as it is, and a read returns it. Anything else (one
 * more key from a filter or a handler, a removal) merges as the map would: the last value
 * given for a key wins.
 */
final class KeyValueSet {

	private volatile KeyValues values = KeyValues.empty();

	KeyValues get() {
		return this.values;
	}

	KeyValue get(String key) {
		for (KeyValue keyValue : this.values) {
			if (keyValue.getKey().equals(key)) {
				return keyValue;
			}
		}
		return null;
	}

	synchronized void add(KeyValues added) {
		KeyValues held = this.values;
		this.values = coversKeysOf(added, held) ? added : held.and(added);
	}

	synchronized void add(KeyValue added) {
		this.values = this.values.and(added);
	}

	synchronized void remove(String key) {
		KeyValues held = this.values;
		if (get(key) != null) {
			this.values = KeyValues.of(held.stream().filter((keyValue) -> !keyValue.getKey().equals(key)).toList());
		}
	}

	/** Whether every key of {@code held} is in {@code added}; both are sorted by key. */
	private static boolean coversKeysOf(KeyValues added, KeyValues held) {
		Iterator<KeyValue> in = added.iterator();
		for (KeyValue keyValue : held) {
			String key = keyValue.getKey();
			int order;
			do {
				if (!in.hasNext()) {
					return false;
				}
				order = in.next().getKey().compareTo(key);
			}
			while (order < 0);
			if (order > 0) {
				return false;
			}
		}
		return true;
	}

}
