package io.evhttp.server;

import io.evhttp.http.Headers;
import io.evhttp.internal.form.Cookies;
import io.evhttp.internal.http.RequestHead;
import io.evhttp.internal.http.RequestTarget;
import io.evhttp.upload.DigestAlgorithm;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * One request: its head, its decoded query, and once the body is received, its fields and
 * files.
 *
 * <p>
 * Fields and files fill in on the event loop while the body arrives; a handler sees them
 * complete. Files are deleted when the request ends (its response is complete or it
 * fails) unless moved with {@link UploadedFile#moveTo}.
 */
public final class Request {

	private final long id;

	private final RequestHead head;

	private final String path;

	private final String rawQuery;

	private final String authority;

	private final Map<String, List<String>> query;

	private final InetSocketAddress remoteAddress;

	private final String clientIp;

	private final int port;

	private final long declaredLength;

	private final Exchange exchange;

	private Map<String, List<String>> fields = Collections.emptyMap();

	private List<UploadedFile> files = Collections.emptyList();

	private volatile Map<String, Object> attributes;

	private volatile UploadedFile body;

	private final RequestSettings settings = new RequestSettings();

	private volatile long bytesReceived;

	private volatile Object route;

	private final long startNanos = System.nanoTime();

	private Map<String, String> cookies;

	Request(long id, RequestHead head, RequestTarget target, Map<String, List<String>> query,
			InetSocketAddress remoteAddress, String clientIp, int port, long declaredLength, Exchange exchange) {
		this.id = id;
		this.head = head;
		this.path = target.path();
		this.rawQuery = target.rawQuery();
		this.authority = target.authority();
		this.query = query;
		this.remoteAddress = remoteAddress;
		this.clientIp = clientIp;
		this.port = port;
		this.declaredLength = declaredLength;
		this.exchange = exchange;
	}

	/** Unique number of this request within its server. */
	public long id() {
		return this.id;
	}

	public String method() {
		return this.head.method();
	}

	/** Request target as sent, query included. */
	public String target() {
		return this.head.target();
	}

	/**
	 * Path part of the target, not decoded; for an absolute-form target
	 * ({@code http://host/path}), its path.
	 */
	public String path() {
		return this.path;
	}

	/**
	 * The host the request is for: the authority of an absolute-form target (which
	 * overrides {@code Host}, RFC 9112 §3.2.2), else the {@code Host} field, else
	 * {@code null} (HTTP/1.0 without one).
	 */
	public String host() {
		return (this.authority != null) ? this.authority : this.head.headers().get("Host");
	}

	/** Query as sent (after {@code ?}), or {@code null}. */
	public String rawQuery() {
		return this.rawQuery;
	}

	/** Decoded query parameters: names in order of first appearance, values in order. */
	public Map<String, List<String>> query() {
		return this.query;
	}

	/** First value of a query parameter, or {@code null}. */
	public String queryParam(String name) {
		List<String> values = this.query.get(name);
		return (values != null) ? values.get(0) : null;
	}

	/** HTTP minor version: 0 or 1. */
	public int minorVersion() {
		return this.head.minorVersion();
	}

	public Headers headers() {
		return this.head.headers();
	}

	/** First value of a header field, looked up case-insensitively, or {@code null}. */
	public String header(String name) {
		return this.head.headers().get(name);
	}

	/** Cookies by name (the first of a repeated name). */
	public synchronized Map<String, String> cookies() {
		if (this.cookies == null) {
			this.cookies = Cookies.parse(this.head.headers().all("Cookie"));
		}
		return this.cookies;
	}

	/** Whether the request came over TLS. */
	public boolean isSecure() {
		return sslSession() != null;
	}

	/**
	 * The TLS session the request came over (protocol, cipher suite, the client's
	 * certificates when it presented some), or {@code null} in cleartext.
	 */
	public SSLSession sslSession() {
		return (this.exchange != null) ? this.exchange.sslSession() : null;
	}

	/**
	 * The client's certificate when it presented one over TLS (listeners asking for it
	 * with {@link TlsOptions.ClientAuth}), else {@code null}.
	 */
	public X509Certificate peerCertificate() {
		SSLSession session = sslSession();
		if (session == null) {
			return null;
		}
		try {
			Certificate[] chain = session.getPeerCertificates();
			return (chain.length > 0 && chain[0] instanceof X509Certificate x509) ? x509 : null;
		}
		catch (SSLPeerUnverifiedException ex) {
			return null;
		}
	}

	/** Address of the peer socket. */
	public InetSocketAddress remoteAddress() {
		return this.remoteAddress;
	}

	/**
	 * Client address: from the configured real-IP header when the peer is a trusted
	 * proxy, otherwise the peer's own address.
	 */
	public String clientIp() {
		return this.clientIp;
	}

	/** Local port of the listener that received the request. */
	public int port() {
		return this.port;
	}

	/** Declared {@code Content-Length}, or -1 (chunked, or none). */
	public long contentLength() {
		return this.declaredLength;
	}

	/** Body bytes received so far (on the wire, chunk framing excluded). */
	public long bytesReceived() {
		return this.bytesReceived;
	}

	/** When the request head was complete, in {@link System#nanoTime()} terms. */
	public long startNanos() {
		return this.startNanos;
	}

	/** Decoded form fields (urlencoded body or multipart non-file parts), in order. */
	public Map<String, List<String>> fields() {
		return Collections.unmodifiableMap(this.fields);
	}

	/** First value of a field, or {@code null}. */
	public String field(String name) {
		List<String> values = this.fields.get(name);
		return (values != null) ? values.get(0) : null;
	}

	/** Uploaded files in order of arrival. */
	public List<UploadedFile> files() {
		return Collections.unmodifiableList(this.files);
	}

	/** First file of a field, or {@code null}. */
	public UploadedFile file(String field) {
		for (UploadedFile f : this.files) {
			if (f.field().equals(field)) {
				return f;
			}
		}
		return null;
	}

	/** A body that was neither multipart nor urlencoded, on disk; or {@code null}. */
	public UploadedFile body() {
		return this.body;
	}

	/**
	 * What the layer that routes requests chose for this one (the Spring layer keeps the
	 * matched handler here), or {@code null}: one slot, cheaper than
	 * {@link #attributes()} on the hot path.
	 */
	public Object route() {
		return this.route;
	}

	/** Sets {@link #route()}; from {@link UploadListener#onHead}. */
	public void route(Object route) {
		this.route = route;
	}

	/** Per-request storage for the application. */
	public Map<String, Object> attributes() {
		Map<String, Object> map = this.attributes;
		if (map == null) {
			synchronized (this) {
				map = this.attributes;
				if (map == null) {
					map = new ConcurrentHashMap<>(4);
					this.attributes = map;
				}
			}
		}
		return map;
	}

	/**
	 * Chooses the digest computed over this request's files, instead of the server's.
	 * Call it from {@link UploadListener#onHead}, before the body is read.
	 */
	public void digest(DigestAlgorithm digest) {
		this.settings.digest = digest;
	}

	/**
	 * Largest file of this request (-1: no limit), instead of the server's; from
	 * {@link UploadListener#onHead}.
	 */
	public void maxFileBytes(long maxFileBytes) {
		this.settings.maxFileBytes = maxFileBytes;
	}

	/**
	 * Largest body of this request (-1: no limit), instead of the server's; from
	 * {@link UploadListener#onHead}.
	 */
	public void maxRequestBytes(long maxRequestBytes) {
		this.settings.maxRequestBytes = maxRequestBytes;
	}

	/**
	 * Longest wait for more body bytes, and grace period of the minimum body rate, for
	 * this request instead of the server's timeout; from {@link UploadListener#onHead}.
	 */
	public void bodyTimeout(java.time.Duration timeout) {
		this.settings.bodyTimeoutNanos = timeout.toNanos();
	}

	/**
	 * Takes the body as a stream of buffers: the server then neither decodes it nor
	 * writes it to disk. Call it from {@link UploadListener#onHead}, before the body is
	 * read.
	 */
	public void consumeBody(BodyConsumer consumer) {
		this.settings.bodyConsumer = consumer;
	}

	/**
	 * Stores this request's files in {@code store} instead of the server's (for example
	 * one route's files in object storage); from {@link UploadListener#onHead}. The store
	 * is the application's: the server neither sweeps nor closes it.
	 */
	public void storeIn(io.evhttp.upload.UploadStore store) {
		this.settings.store = Objects.requireNonNull(store, "store");
	}

	/** What the application chose for this request before its body. */
	RequestSettings settings() {
		return this.settings;
	}

	/**
	 * Runs this request's handler on {@code executor} instead of where its listener runs
	 * handlers; from {@link UploadListener#onHead}. Routers use it to run each route
	 * where it belongs.
	 */
	public void handleOn(Executor executor) {
		this.settings.handlerExecutor = Objects.requireNonNull(executor, "executor");
	}

	/**
	 * Runs this request's handler on its event loop, where it must not block; from
	 * {@link UploadListener#onHead}.
	 */
	public void handleOnEventLoop() {
		this.settings.handleOnEventLoop();
	}

	/** Runs {@code task} on the request's event loop, later. Any thread. */
	void onLoop(Runnable task) {
		this.exchange.execute(task);
	}

	/** Aborts the request and closes its connection; files are deleted. Any thread. */
	public void drop() {
		this.exchange.drop();
	}

	/**
	 * Stops reading this request's body until {@link #resumeBody()} (e.g. while a quota
	 * is checked); called from {@link UploadListener#onHead}, no body byte is read until
	 * resumed. Paused time does not count against the body's timeout or minimum rate, but
	 * a pause longer than the request timeout gets 408 and closes the connection: a
	 * client that left is not seen while nothing is read. Event loop only: call it from
	 * an {@link UploadListener} callback.
	 */
	public void pauseBody() {
		this.exchange.pauseBody(PauseReason.BY_APPLICATION);
	}

	/**
	 * Sends an interim (1xx) response ahead of the final one, e.g. {@code 104 Upload
	 * Resumption Supported} once an upload's URL is known, before or while the body is
	 * read. Any thread; see {@link Response#sendInterim}.
	 */
	public void sendInterim(int status, String... headers) {
		this.exchange.response().sendInterim(status, headers);
	}

	/** Resumes reading the body. Any thread. */
	public void resumeBody() {
		this.exchange.resumeBody(PauseReason.BY_APPLICATION);
	}

	void setBytesReceived(long bytes) {
		this.bytesReceived = bytes;
	}

	boolean keepAliveRequested() {
		return this.head.keepAlive();
	}

	void addField(String name, String value) {
		if (this.fields.isEmpty()) {
			this.fields = new LinkedHashMap<>();
		}
		this.fields.computeIfAbsent(name, (k) -> new ArrayList<>(1)).add(value);
	}

	void addFile(UploadedFile file) {
		if (this.files.isEmpty()) {
			this.files = new ArrayList<>(2);
		}
		this.files.add(file);
	}

	void setBody(UploadedFile body) {
		this.body = body;
	}

	void deleteFiles() {
		for (UploadedFile f : this.files) {
			f.deleteIfTemporary();
		}
		UploadedFile b = this.body;
		if (b != null) {
			b.deleteIfTemporary();
		}
	}

	@Override
	public String toString() {
		return "Request#" + this.id + "[" + method() + " " + target() + "]";
	}

}
