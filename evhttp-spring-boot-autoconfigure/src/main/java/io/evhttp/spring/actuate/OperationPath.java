package io.evhttp.spring.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The path of an endpoint operation ({@code metrics/{requiredMetricName}},
 * {@code env/{*toMatch}}), matched segment by segment against a request's decoded path
 * below the base path. Variables bind one segment; a {@code {*name}} variable, last,
 * binds all remaining segments as a {@code String[]}, as Spring MVC's mapping does.
 */
final class OperationPath {

	private final String[] segments;

	private OperationPath(String[] segments) {
		this.segments = segments;
	}

	static OperationPath of(String path) {
		String trimmed = path.startsWith("/") ? path.substring(1) : path;
		return new OperationPath(trimmed.isEmpty() ? new String[0] : trimmed.split("/"));
	}

	/** The bound variables, or {@code null} when {@code request} is not this path. */
	Map<String, Object> match(List<String> request) {
		Map<String, Object> variables = new LinkedHashMap<>();
		for (int i = 0; i < this.segments.length; i++) {
			String segment = this.segments[i];
			if (segment.startsWith("{*") && segment.endsWith("}") && i == this.segments.length - 1) {
				variables.put(segment.substring(2, segment.length() - 1),
						request.subList(i, request.size()).toArray(new String[0]));
				return variables;
			}
			if (i >= request.size()) {
				return null;
			}
			if (segment.startsWith("{") && segment.endsWith("}")) {
				variables.put(segment.substring(1, segment.length() - 1), request.get(i));
			}
			else if (!segment.equals(request.get(i))) {
				return null;
			}
		}
		return (request.size() == this.segments.length) ? variables : null;
	}

	/**
	 * Literal segments count first, so {@code metrics/{name}} loses to a literal path.
	 */
	int literals() {
		int count = 0;
		for (String segment : this.segments) {
			if (!segment.startsWith("{")) {
				count++;
			}
		}
		return count;
	}

}
