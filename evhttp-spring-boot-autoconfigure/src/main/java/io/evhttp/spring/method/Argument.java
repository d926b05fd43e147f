package io.evhttp.spring.method;

/** How one parameter of a handler method gets its value, chosen at startup. */
@FunctionalInterface
interface Argument {

	Object value(Invocation invocation) throws Exception;

}
