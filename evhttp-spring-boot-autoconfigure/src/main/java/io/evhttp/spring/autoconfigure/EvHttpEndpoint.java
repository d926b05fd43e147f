package io.evhttp.spring.autoconfigure;

import io.evhttp.server.EvServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/** The {@code evhttp} actuator endpoint: uploads in flight and the server's counters. */
@Endpoint(id = "evhttp")
public final class EvHttpEndpoint {

	private final EvServer server;

	private final UploadsInFlight inFlight;

	public EvHttpEndpoint(EvServer server, UploadsInFlight inFlight) {
		this.server = server;
		this.inFlight = inFlight;
	}

	@ReadOperation
	public Map<String, Object> uploads() {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("uploads", this.inFlight.snapshot());
		result.put("connections", this.server.connectionCount());
		result.put("bytesReceived", this.server.stats().bytesReceived());
		result.put("requests", this.server.stats().requests());
		result.put("rejected", this.server.stats().rejected());
		return result;
	}

}
