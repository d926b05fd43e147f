package io.evhttp.spring.autoconfigure;

import io.evhttp.form.FormLimits;
import io.evhttp.http.HeadLimits;
import io.evhttp.multipart.MultipartLimits;
import io.evhttp.server.ServerOptions;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Maps the {@code evhttp.*} properties onto {@link ServerOptions}, one property per line,
 * starting from the core's defaults. Each value is checked by the core record it is set
 * on; one it refuses fails startup with an
 * {@link InvalidConfigurationPropertyValueException} naming the property, which Boot's
 * failure analysis reports with the property's origin.
 */
final class ServerOptionsMapping {

	private ServerOptionsMapping() {
	}

	/**
	 * @param properties the bound properties
	 * @param taskExecutor the executor for {@code evhttp.disk-write=executor}, asked for
	 * only then
	 */
	static ServerOptions of(EvHttpProperties properties, Supplier<Executor> taskExecutor) {
		return new ServerOptions(network(properties), timeouts(properties), limits(properties.getLimits()),
				uploads(properties, taskExecutor), proxies(properties));
	}

	private static ServerOptions.Network network(EvHttpProperties properties) {
		ServerOptions.Network network = ServerOptions.Network.defaults();
		if (properties.getEventLoops() != null) {
			network = set("evhttp.event-loops", properties.getEventLoops(), network::withEventLoops);
		}
		if (properties.getReadBuffer() != null) {
			network = set("evhttp.read-buffer", intBytes("evhttp.read-buffer", properties.getReadBuffer()),
					network::withReadBufferBytes);
		}
		return set("evhttp.max-connections", properties.getMaxConnections(), network::withMaxConnections);
	}

	private static ServerOptions.Timeouts timeouts(EvHttpProperties properties) {
		ServerOptions.Timeouts timeouts = ServerOptions.Timeouts.defaults();
		timeouts = set("evhttp.timeout", properties.getTimeout(), timeouts::withTimeout);
		timeouts = set("evhttp.keep-alive-timeout", properties.getKeepAliveTimeout(), timeouts::withKeepAliveTimeout);
		timeouts = set("evhttp.min-body-rate", properties.getMinBodyRate().toBytes(), timeouts::withMinBodyRate);
		timeouts = set("evhttp.body-rate-grace", properties.getBodyRateGrace(), timeouts::withBodyRateGrace);
		return set("evhttp.min-response-rate", properties.getMinResponseRate().toBytes(),
				timeouts::withMinResponseRate);
	}

	private static ServerOptions.Limits limits(EvHttpLimits properties) {
		HeadLimits head = HeadLimits.DEFAULTS;
		head = set("evhttp.limits.request-line", intBytes("evhttp.limits.request-line", properties.getRequestLine()),
				head::withMaxRequestLineBytes);
		head = set("evhttp.limits.header-section",
				intBytes("evhttp.limits.header-section", properties.getHeaderSection()), head::withMaxHeaderBytes);
		head = set("evhttp.limits.header-count", properties.getHeaderCount(), head::withMaxHeaderCount);
		FormLimits query = fields(FormLimits.QUERY_DEFAULTS, properties);
		query = set("evhttp.limits.query-value", intBytes("evhttp.limits.query-value", properties.getQueryValue()),
				query::withMaxValueBytes);
		FormLimits form = fields(FormLimits.BODY_DEFAULTS, properties);
		form = set("evhttp.limits.field-value", intBytes("evhttp.limits.field-value", properties.getFieldValue()),
				form::withMaxValueBytes);
		MultipartLimits multipart = MultipartLimits.DEFAULTS;
		multipart = set("evhttp.limits.part-headers",
				intBytes("evhttp.limits.part-headers", properties.getPartHeaders()), multipart::withMaxPartHeaderBytes);
		multipart = set("evhttp.limits.parts", properties.getParts(), multipart::withMaxParts);
		multipart = set("evhttp.limits.preamble", intBytes("evhttp.limits.preamble", properties.getPreamble()),
				multipart::withMaxPreambleBytes);
		ServerOptions.Limits limits = ServerOptions.Limits.defaults()
			.withHead(head)
			.withQuery(query)
			.withForm(form)
			.withMultipart(multipart);
		limits = set("evhttp.limits.file", bytesOrNone(properties.getFile()), limits::withMaxFileBytes);
		return set("evhttp.limits.request", bytesOrNone(properties.getRequest()), limits::withMaxRequestBytes);
	}

	/** The field name and count limits, shared by queries and bodies. */
	private static FormLimits fields(FormLimits defaults, EvHttpLimits properties) {
		FormLimits limits = set("evhttp.limits.field-name",
				intBytes("evhttp.limits.field-name", properties.getFieldName()), defaults::withMaxNameBytes);
		return set("evhttp.limits.fields", properties.getFields(), limits::withMaxFields);
	}

	private static ServerOptions.Uploads uploads(EvHttpProperties properties, Supplier<Executor> taskExecutor) {
		ServerOptions.Uploads uploads = ServerOptions.Uploads.defaults();
		uploads = set("evhttp.tmp-path", properties.getTmpPath(), uploads::withTmpPath);
		uploads = set("evhttp.digest", properties.getDigest(), uploads::withDigest);
		uploads = set("evhttp.disk-budget", bytesOrNone(properties.getDiskBudget()), uploads::withDiskBudgetBytes);
		if (properties.getDiskWrite() == EvHttpProperties.DiskWrite.EXECUTOR) {
			uploads = uploads.withDiskWriteExecutor(taskExecutor.get());
		}
		return uploads;
	}

	private static ServerOptions.Proxies proxies(EvHttpProperties properties) {
		ServerOptions.Proxies proxies = ServerOptions.Proxies.defaults();
		proxies = set("evhttp.real-ip-header", properties.getRealIpHeader(), proxies::withRealIpHeader);
		return set("evhttp.trusted-proxies", properties.getTrustedProxies(), proxies::withTrustedProxies);
	}

	/**
	 * Applies one property's value through a {@code withX} method of a core record.
	 * @throws InvalidConfigurationPropertyValueException naming the property when the
	 * record refuses the value
	 */
	private static <V, G> G set(String property, V value, Function<V, G> setting) {
		try {
			return setting.apply(value);
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			throw new InvalidConfigurationPropertyValueException(property, value, ex.getMessage());
		}
	}

	private static int intBytes(String property, DataSize size) {
		if (size == null || size.toBytes() <= 0 || size.toBytes() > Integer.MAX_VALUE) {
			throw new InvalidConfigurationPropertyValueException(property, size, "must be between 1B and 2GB");
		}
		return (int) size.toBytes();
	}

	private static long bytesOrNone(DataSize size) {
		return (size != null) ? size.toBytes() : -1;
	}

}
