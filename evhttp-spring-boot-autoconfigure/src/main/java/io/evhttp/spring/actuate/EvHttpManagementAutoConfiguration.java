package io.evhttp.spring.actuate;

import io.evhttp.spring.EvRoute;
import io.evhttp.spring.Threading;
import io.evhttp.spring.autoconfigure.EvHttpAutoConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.IncludeExcludeEndpointFilter;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointFilter;
import org.springframework.boot.actuate.endpoint.OperationFilter;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.ParameterValueMapper;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.actuate.endpoint.web.EndpointMediaTypes;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.PathMapper;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpointDiscoverer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointProperties;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * Actuator over HTTP when evhttp is the application's only server
 * ({@code spring.main.web-application-type=none}): Boot then sets up no web endpoints at
 * all, so this does what its web endpoint configuration would — discovery with
 * {@code management.endpoints.web.exposure.*}, path mapping and access — and serves the
 * endpoints under {@code management.endpoints.web.base-path} on {@code evhttp.port}, or
 * on {@code management.server.port} when one is set. Beside Tomcat, Jetty or Netty the
 * endpoints stay where Boot puts them and this backs off. Off with
 * {@code evhttp.management.enabled=false}.
 */
@AutoConfiguration(after = { EvHttpAutoConfiguration.class, EndpointAutoConfiguration.class,
		HealthEndpointAutoConfiguration.class, JacksonEndpointAutoConfiguration.class })
@ConditionalOnClass({ WebEndpointDiscoverer.class, WebEndpointProperties.class, JsonMapper.class })
@ConditionalOnNotWebApplication
@ConditionalOnBooleanProperty(name = "evhttp.management.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "evhttp.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WebEndpointProperties.class)
public final class EvHttpManagementAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EndpointMediaTypes endpointMediaTypes() {
		return EndpointMediaTypes.DEFAULT;
	}

	@Bean
	@ConditionalOnMissingBean(WebEndpointsSupplier.class)
	WebEndpointDiscoverer webEndpointDiscoverer(ApplicationContext context, WebEndpointProperties properties,
			ParameterValueMapper parameterValueMapper, EndpointMediaTypes mediaTypes,
			ObjectProvider<PathMapper> pathMappers, ObjectProvider<OperationInvokerAdvisor> invokerAdvisors,
			ObjectProvider<EndpointFilter<ExposableWebEndpoint>> endpointFilters,
			ObjectProvider<OperationFilter<WebOperation>> operationFilters,
			ObjectProvider<EndpointAccessResolver> accessResolver) {
		List<PathMapper> mappers = new ArrayList<>(pathMappers.orderedStream().toList());
		mappers.add((id) -> properties.getPathMapping().get(id.toString()));
		List<EndpointFilter<ExposableWebEndpoint>> filters = new ArrayList<>(endpointFilters.orderedStream().toList());
		filters
			.add(new IncludeExcludeEndpointFilter<>(ExposableWebEndpoint.class, properties.getExposure().getInclude(),
					properties.getExposure().getExclude(), EndpointExposure.WEB.getDefaultIncludes()));
		List<OperationFilter<WebOperation>> operations = new ArrayList<>(operationFilters.orderedStream().toList());
		accessResolver.ifAvailable((resolver) -> operations.add(OperationFilter.byAccess(resolver)));
		return new WebEndpointDiscoverer(context, parameterValueMapper, mediaTypes, mappers, List.of(),
				invokerAdvisors.orderedStream().toList(), filters, operations);
	}

	@Bean
	EvRoute evHttpManagementRoute(WebEndpointsSupplier endpoints, WebEndpointProperties properties,
			Environment environment, ObjectProvider<EndpointJsonMapper> endpointMapper,
			ObjectProvider<JsonMapper> applicationMapper) {
		String basePath = properties.getBasePath();
		JsonMapper application = applicationMapper.getIfAvailable(JsonMapper::new);
		JsonMapper forEndpoints = endpointMapper.stream().map(EndpointJsonMapper::get).findFirst().orElse(application);
		EndpointRequestHandler handler = new EndpointRequestHandler(basePath, List.copyOf(endpoints.getEndpoints()),
				new EndpointAnswers(forEndpoints, application));
		String[] paths = (basePath.isEmpty() || "/".equals(basePath)) ? new String[] { "/**" }
				: new String[] { basePath, basePath + "/**" };
		EvRoute route = EvRoute.of(handler, paths)
			.threading(Threading.EXECUTOR)
			.maxRequestSize(DataSize.ofBytes(EndpointRequestHandler.MAX_BODY))
			.timeout(Duration.ofSeconds(10))
			.events(false);
		Integer port = environment.getProperty("management.server.port", Integer.class);
		return (port != null) ? route.port(port) : route;
	}

	/**
	 * The health endpoint's web extension (status codes from the health groups, 503 when
	 * DOWN), which Boot makes only for its own servers.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthEndpointWebExtension.class)
	@ConditionalOnBean({ HealthEndpoint.class, HealthContributorRegistry.class, HealthEndpointGroups.class })
	static class HealthWebExtension {

		@Bean
		@ConditionalOnMissingBean
		HealthEndpointWebExtension healthEndpointWebExtension(HealthContributorRegistry registry,
				ObjectProvider<ReactiveHealthContributorRegistry> reactiveRegistry, HealthEndpointGroups groups,
				HealthEndpointProperties properties) {
			return new HealthEndpointWebExtension(registry, reactiveRegistry.getIfAvailable(), groups,
					properties.getLogging().getSlowIndicatorThreshold());
		}

	}

}
