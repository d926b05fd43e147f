package io.evhttp.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Value;

/**
 * Injects the port evhttp's default listener actually bound ({@code local.evhttp.port}),
 * as {@code @LocalServerPort} does for Boot's own servers. The listener of a handler with
 * a port of its own is {@code local.evhttp.port.<bean name>}.
 *
 * <pre>{@code
 * &#64;SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
 * class UploadTests {
 *     &#64;LocalEvHttpPort
 *     int port;
 * }
 * }</pre>
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Value("${local.evhttp.port}")
public @interface LocalEvHttpPort {

}
