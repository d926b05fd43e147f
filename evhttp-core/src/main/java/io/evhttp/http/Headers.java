package io.evhttp.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Header fields in the order received, looked up case-insensitively (RFC 9110 §5.1).
 *
 * <p>
 * Stored as two parallel arrays: a request has a few dozen fields at most, so a linear
 * scan with {@link String#equalsIgnoreCase} beats hashing and allocates nothing per
 * lookup.
 */
public final class Headers {

	private static final String[] NONE = new String[0];

	/** Made on the first field: a request's part or an answer often has none or few. */
	private String[] names = NONE;

	private String[] values = NONE;

	private int size;

	/** An empty list; the server fills it as it parses a head or a part's headers. */
	public Headers() {
	}

	public void add(String name, String value) {
		if (this.size == this.names.length) {
			int capacity = (this.size == 0) ? 8 : this.size * 2;
			this.names = java.util.Arrays.copyOf(this.names, capacity);
			this.values = java.util.Arrays.copyOf(this.values, capacity);
		}
		this.names[this.size] = name;
		this.values[this.size] = value;
		this.size++;
	}

	/** First value of the named field, or {@code null}. */
	public String get(String name) {
		for (int i = 0; i < this.size; i++) {
			String n = this.names[i];
			if (n == name || n.equalsIgnoreCase(name)) { // known names are interned
				return this.values[i];
			}
		}
		return null;
	}

	/** Every value of the named field, in order; empty when absent. */
	public List<String> all(String name) {
		List<String> result = null;
		for (int i = 0; i < this.size; i++) {
			if (this.names[i].equalsIgnoreCase(name)) {
				if (result == null) {
					result = new ArrayList<>(2);
				}
				result.add(this.values[i]);
			}
		}
		return (result != null) ? result : Collections.emptyList();
	}

	/** How many fields carry this name. */
	public int count(String name) {
		int count = 0;
		for (int i = 0; i < this.size; i++) {
			if (this.names[i].equalsIgnoreCase(name)) {
				count++;
			}
		}
		return count;
	}

	public boolean contains(String name) {
		return get(name) != null;
	}

	/** Field names as received (first spelling), without duplicates, in order. */
	public Set<String> names() {
		Set<String> result = new LinkedHashSet<>();
		for (int i = 0; i < this.size; i++) {
			result.add(this.names[i]);
		}
		return result;
	}

	public int size() {
		return this.size;
	}

	public String name(int index) {
		return this.names[index];
	}

	public String value(int index) {
		return this.values[index];
	}

	public void clear() {
		java.util.Arrays.fill(this.names, 0, this.size, null);
		java.util.Arrays.fill(this.values, 0, this.size, null);
		this.size = 0;
	}

	@Override
	public String toString() {
		StringBuilder sb = new StringBuilder("{");
		for (int i = 0; i < this.size; i++) {
			sb.append((i > 0) ? ", " : "").append(this.names[i]).append('=').append(this.values[i]);
		}
		return sb.append('}').toString();
	}

	/**
	 * Checks a header field an application sets: a {@code token} for a name (RFC 9110
	 * §5.6.2), no control character but HTAB and nothing beyond ISO-8859-1 in the value,
	 * so no field can smuggle a line break into a head.
	 * @throws IllegalArgumentException naming the field otherwise
	 */
	public static void checkField(String name, String value) {
		boolean token = !name.isEmpty();
		for (int i = 0; i < name.length() && token; i++) {
			char c = name.charAt(i);
			token = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
					|| "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
		}
		if (!token) {
			throw new IllegalArgumentException("invalid header name: " + name);
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
				throw new IllegalArgumentException("invalid character in value of header " + name);
			}
		}
	}

}
