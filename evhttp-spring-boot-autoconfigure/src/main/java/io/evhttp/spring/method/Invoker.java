package io.evhttp.spring.method;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.springframework.util.ReflectionUtils;

/**
 * Calls one method of the bean with the arguments its parameters bind to, then writes
 * what it returned. A {@code void} method that takes the
 * {@link io.evhttp.server.Response} answers itself (perhaps later, from another thread);
 * any other {@code void} method is answered with its {@code @ResponseStatus}, else 200,
 * and no body.
 */
final class Invoker {

	private final Object bean;

	private final Method method;

	private final Argument[] arguments;

	private final Results results;

	private final int status;

	private final boolean answersItself;

	Invoker(Object bean, Method method, Argument[] arguments, Results results, int status, boolean answersItself) {
		this.bean = bean;
		this.method = method;
		this.arguments = arguments;
		this.results = results;
		this.status = status;
		this.answersItself = answersItself;
		ReflectionUtils.makeAccessible(method);
	}

	void invoke(Invocation invocation) throws Exception {
		Object[] values = new Object[this.arguments.length];
		for (int i = 0; i < values.length; i++) {
			values[i] = this.arguments[i].value(invocation);
		}
		Object result;
		try {
			result = this.method.invoke(this.bean, values);
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof Exception cause) {
				throw cause;
			}
			throw (Error) ex.getCause();
		}
		boolean isVoid = this.method.getReturnType() == void.class;
		if ((isVoid && this.answersItself) || invocation.response().isCommitted()) {
			return;
		}
		this.results.write(isVoid ? null : result, this.status, invocation);
	}

	Method method() {
		return this.method;
	}

}
