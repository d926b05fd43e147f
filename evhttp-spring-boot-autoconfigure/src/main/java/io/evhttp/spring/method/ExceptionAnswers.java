package io.evhttp.spring.method;

import io.evhttp.http.HttpException;
import java.lang.reflect.Method;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.method.annotation.ExceptionHandlerMethodResolver;

/**
 * Answers what a handler method threw: first with the bean's {@code @ExceptionHandler}
 * for the most specific type, else as the refusal it stands for. An {@link HttpException}
 * keeps its status, an {@link ErrorResponse} (such as {@code ResponseStatusException}) or
 * an exception annotated {@code @ResponseStatus} becomes an {@link HttpException} of that
 * status with its reason as detail; anything else is rethrown and answered 500. The
 * server then writes the refusal as every other one: a problem document with
 * {@code evhttp.problem-details.enabled}, plain text otherwise.
 */
final class ExceptionAnswers {

	private static final Log logger = LogFactory.getLog(ExceptionAnswers.class);

	private final ExceptionHandlerMethodResolver resolver;

	private final Map<Method, Invoker> handlers;

	/**
	 * @param handlers the bean's {@code @ExceptionHandler} methods, by the method the
	 * resolver returns
	 */
	ExceptionAnswers(Class<?> beanType, Map<Method, Invoker> handlers) {
		this.resolver = handlers.isEmpty() ? null : new ExceptionHandlerMethodResolver(beanType);
		this.handlers = handlers;
	}

	void answer(Exception ex, Invocation invocation) throws Exception {
		if (invocation.response().isCommitted()) {
			throw ex;
		}
		Invoker handler = (this.resolver != null) ? this.handlers.get(this.resolver.resolveMethodByThrowable(ex))
				: null;
		if (handler != null) {
			try {
				handler.invoke(invocation.withException(ex));
				return;
			}
			catch (Exception failed) {
				if (invocation.response().isCommitted()) {
					throw failed;
				}
				logger.warn("@ExceptionHandler " + handler.method() + " failed; answering the original exception",
						failed);
			}
		}
		throw refusal(ex);
	}

	/** The refusal {@code ex} stands for, or {@code ex} itself (a 500). */
	static Exception refusal(Exception ex) {
		if (ex instanceof HttpException) {
			return ex;
		}
		if (ex instanceof ErrorResponse error) {
			String detail = error.getBody().getDetail();
			HttpException refusal = new HttpException(error.getStatusCode().value(),
					(detail != null) ? detail : ex.getMessage(), ex);
			HttpHeaders headers = error.getHeaders();
			headers.forEach((name, values) -> values.forEach((value) -> refusal.withHeader(name, value)));
			return refusal;
		}
		ResponseStatus status = AnnotatedElementUtils.findMergedAnnotation(ex.getClass(), ResponseStatus.class);
		if (status != null) {
			String reason = status.reason().isEmpty() ? ex.getMessage() : status.reason();
			return new HttpException(status.code().value(), reason, ex);
		}
		return ex;
	}

}
