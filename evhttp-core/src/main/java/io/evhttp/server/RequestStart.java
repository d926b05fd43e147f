package io.evhttp.server;

import io.evhttp.http.HttpException;
import io.evhttp.internal.form.UrlencodedDecoder;
import io.evhttp.internal.http.BodyFraming;
import io.evhttp.internal.http.RequestHead;
import io.evhttp.internal.http.RequestTarget;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happens between a request's head and its first body byte: the request is built
 * (target, query, client address), admitted (expectations, the listener's
 * {@link UploadListener#onHead}, the declared length against the limit), and its body set
 * up. One per connection; event loop only.
 */
final class RequestStart {

	private final EvServer server;

	private final PortListenerImpl listener;

	private final InetSocketAddress remote;

	/** The peer's address as text, formatted once. */
	private final String remoteText;

	RequestStart(EvServer server, PortListenerImpl listener, InetSocketAddress remote) {
		this.server = server;
		this.listener = listener;
		this.remote = remote;
		this.remoteText = remote.getAddress().getHostAddress();
	}

	Request request(RequestHead head, BodyFraming framing, Exchange exchange) {
		RequestTarget target = RequestTarget.parse(head.method(), head.target());
		Map<String, List<String>> query = decodeQuery(target.rawQuery());
		String clientIp = this.server.clientIp(this.remote.getAddress(), this.remoteText, head);
		long declared = switch (framing.kind()) {
			case LENGTH -> framing.length();
			case NONE -> 0;
			case CHUNKED -> -1;
		};
		return new Request(this.server.nextRequestId(), head, target, query, this.remote, clientIp,
				this.listener.port(), declared, exchange);
	}

	/**
	 * Lets the listener refuse the request before its body.
	 * @return whether the client waits for {@code 100 Continue}
	 * @throws HttpException when the request is refused
	 */
	boolean admit(Request request, BodyFraming framing) {
		boolean expectContinue = false;
		String expect = request.header("Expect");
		if (expect != null) {
			if (!expect.equalsIgnoreCase("100-continue")) {
				throw new HttpException(417, "unsupported expectation: " + expect);
			}
			expectContinue = request.minorVersion() == 1;
		}
		this.listener.config().uploads().onHead(request);
		long max = request.settings().maxRequestBytesOr(this.server.options().limits().maxRequestBytes());
		if (max >= 0 && request.contentLength() > max) {
			throw new HttpException(413, "declared body of " + request.contentLength() + " bytes over " + max)
				.withCode("body-too-large")
				.withLimit(max);
		}
		return expectContinue && framing.kind() != BodyFraming.Kind.NONE;
	}

	RequestBody body(Request request, BodyFraming framing, RequestBody.Owner owner) {
		ServerOptions options = this.server.options();
		return new RequestBody(owner, request, framing, this.listener.bodyContext(), this.server.diskBudget(),
				request.settings().maxRequestBytesOr(options.limits().maxRequestBytes()),
				options.limits().head().maxHeaderBytes());
	}

	private Map<String, List<String>> decodeQuery(String rawQuery) {
		if (rawQuery == null || rawQuery.isEmpty()) {
			return Collections.emptyMap();
		}
		Map<String, List<String>> query = new LinkedHashMap<>();
		UrlencodedDecoder.decode(rawQuery, this.server.options().limits().query(), 414,
				(name, value) -> query.computeIfAbsent(name, (k) -> new ArrayList<>(1)).add(value));
		return Collections.unmodifiableMap(query);
	}

}
