package io.evhttp.spring;

import io.evhttp.server.ServerOptions;

/**
 * Adjusts the server's options after {@code evhttp.*} properties are bound, as Boot's
 * {@code WebServerFactoryCustomizer} does for its servers: for what properties cannot
 * express (a computed trusted-proxy list, a disk-write executor of the application's), or
 * for a library that tunes the server. Every customizer bean is applied, in
 * {@link org.springframework.core.Ordered} order, each seeing what the previous ones set.
 *
 * <pre>{@code
 * &#64;Bean
 * EvServerOptionsCustomizer moreConnections() {
 *     return (options) -> options.network((network) -> network.withMaxConnections(20_000));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface EvServerOptionsCustomizer {

	void customize(ServerOptions.Builder options);

}
