package io.evhttp.spring.method;

import java.util.Set;
import org.springframework.web.util.pattern.PathPattern;

/**
 * One path pattern of one handler method, and the HTTP methods it answers.
 *
 * @param pattern the whole path pattern: the handler's base path, the class's and the
 * method's mapping
 * @param methods HTTP methods in upper case; empty for any
 * @param invoker calls the method
 */
record MappedMethod(PathPattern pattern, Set<String> methods, Invoker invoker) {

	/** Whether it answers {@code method}; {@code HEAD} is answered wherever GET is. */
	boolean accepts(String method) {
		return this.methods.isEmpty() || this.methods.contains(method)
				|| ("HEAD".equals(method) && this.methods.contains("GET"));
	}

}
