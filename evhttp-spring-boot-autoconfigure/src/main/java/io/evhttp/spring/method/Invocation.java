package io.evhttp.spring.method;

import io.evhttp.server.Request;
import io.evhttp.server.Response;
import java.util.Map;

/**
 * One call of a handler method: the exchange, the variables its path pattern extracted
 * (decoded), and for an {@code @ExceptionHandler} the exception it answers.
 *
 * @param request the request
 * @param response its response
 * @param variables path variables by name
 * @param exception the exception being answered, or {@code null}
 */
record Invocation(Request request, Response response, Map<String, String> variables, Throwable exception) {

	Invocation withException(Throwable ex) {
		return new Invocation(this.request, this.response, this.variables, ex);
	}

}
