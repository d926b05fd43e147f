package io.evhttp.internal.form;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code Cookie} fields (RFC 6265 §5.4): pairs split on {@code ;}, name and value
 * on the first {@code =} (so base64 padding survives), surrounding quotes removed, no
 * percent decoding. When a name repeats, the first wins, as user agents list the most
 * specific cookie first.
 */
public final class Cookies {

	private static final int MAX_COOKIES = 200;

	private Cookies() {
	}

	public static Map<String, String> parse(List<String> fields) {
		if (fields.isEmpty()) {
			return Collections.emptyMap();
		}
		Map<String, String> cookies = new LinkedHashMap<>();
		for (String field : fields) {
			for (String pair : field.split(";")) {
				int eq = pair.indexOf('=');
				if (eq <= 0) {
					continue;
				}
				String name = pair.substring(0, eq).trim();
				String value = pair.substring(eq + 1).trim();
				if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
					value = value.substring(1, value.length() - 1);
				}
				if (!name.isEmpty() && cookies.size() < MAX_COOKIES) {
					cookies.putIfAbsent(name, value);
				}
			}
		}
		return Collections.unmodifiableMap(cookies);
	}

}
