package io.evhttp.spring.method;

import java.io.IOException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.util.ClassUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes return values as JSON with the application's {@link JsonMapper} bean (Boot's, so
 * its modules and settings apply), or a default one when there is none.
 */
final class JsonBodies {

	private final JsonMapper mapper;

	private JsonBodies(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * The application's mapper, or {@code null} when Jackson is not on the classpath
	 * (checked before this class, which needs it, is loaded).
	 */
	static JsonBodies of(BeanFactory beans) {
		ClassLoader loader = (beans instanceof ConfigurableBeanFactory configurable) ? configurable.getBeanClassLoader()
				: JsonBodies.class.getClassLoader();
		if (!ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper", loader)) {
			return null;
		}
		return JacksonHolder.of(beans);
	}

	private static final class JacksonHolder {

		static JsonBodies of(BeanFactory beans) {
			return new JsonBodies(beans.getBeanProvider(JsonMapper.class).getIfAvailable(JsonMapper::new));
		}

	}

	byte[] write(Object value) throws IOException {
		try {
			return this.mapper.writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new IOException("cannot write " + value.getClass().getName() + " as JSON", ex);
		}
	}

}
