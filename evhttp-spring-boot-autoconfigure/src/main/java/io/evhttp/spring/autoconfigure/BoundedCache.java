package io.evhttp.spring.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values made once per key, for keys that repeat from one request to the next (tag sets).
 * Some keys are the client's words (the method), so past {@link #MAX} entries values are
 * made each time instead of kept.
 */
final class BoundedCache<K, V> {

	static final int MAX = 1024;

	private final Map<K, V> values = new ConcurrentHashMap<>();

	V get(K key, Function<? super K, ? extends V> make) {
		V value = this.values.get(key);
		if (value == null) {
			value = make.apply(key);
			if (this.values.size() < MAX) {
				this.values.putIfAbsent(key, value);
			}
		}
		return value;
	}

	int size() {
		return this.values.size();
	}

	void clear() {
		this.values.clear();
	}

}
