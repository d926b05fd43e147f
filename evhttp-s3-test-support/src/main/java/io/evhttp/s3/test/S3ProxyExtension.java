package io.evhttp.s3.test;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * JUnit Jupiter extension that runs an {@link S3ProxyServer} for a test class.
 * <p>
 * Declared on the class ({@code @ExtendWith(S3ProxyExtension.class)}) or held in a static
 * {@code @RegisterExtension} field, it starts one server before the class's first test
 * and closes it, data included, after its last; nested classes share it. Held in an
 * instance field it gives each test a server of its own.
 * <p>
 * Test constructors, test methods and lifecycle methods may declare parameters of type
 * {@link S3ProxyServer} and {@link S3Client}; the client is created once per server and
 * closed with it. A test that stops the server starts it again before it ends if later
 * tests of the class use it.
 * <p>
 * In a Spring Boot test, hand the endpoint to the application from a static field:
 * <pre class="code">
 * &#64;SpringBootTest
 * class S3UploadTests {
 *
 *     &#64;RegisterExtension
 *     static final S3ProxyExtension s3proxy = new S3ProxyExtension();
 *
 *     &#64;DynamicPropertySource
 *     static void s3(DynamicPropertyRegistry registry) {
 *         registry.add("my.s3.endpoint", () -&gt; s3proxy.server().endpoint());
 *         registry.add("my.s3.access-key", () -&gt; S3ProxyServer.ACCESS_KEY);
 *         registry.add("my.s3.secret-key", () -&gt; S3ProxyServer.SECRET_KEY);
 *     }
 *
 * }
 * </pre>
 */
public final class S3ProxyExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(S3ProxyExtension.class);

	private S3ProxyServer server;

	private S3Client client;

	@Override
	public void beforeAll(ExtensionContext context) {
		ensureStarted(context);
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		ensureStarted(context);
	}

	/**
	 * Returns the running server.
	 * @return the server
	 * @throws IllegalStateException before the extension has started it
	 */
	public S3ProxyServer server() {
		if (this.server == null) {
			throw new IllegalStateException("S3Proxy is started before all tests (static field or @ExtendWith) "
					+ "or before each test (instance field); it is not running yet");
		}
		return this.server;
	}

	/**
	 * Returns a client of the running server, shared by the tests that use this
	 * extension.
	 * @return the client
	 */
	public S3Client client() {
		S3ProxyServer current = server();
		if (this.client == null) {
			this.client = current.newClient();
		}
		return this.client;
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return type == S3ProxyServer.class || type == S3Client.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		ensureStarted(extensionContext);
		return (parameterContext.getParameter().getType() == S3Client.class) ? client() : server();
	}

	private void ensureStarted(ExtensionContext context) {
		if (this.server != null) {
			return;
		}
		S3ProxyServer started = S3ProxyServer.create();
		try {
			started.start();
		}
		catch (RuntimeException ex) {
			started.close();
			throw ex;
		}
		this.server = started;
		// closed with the context that started it: the class, or the test for an instance
		// field
		context.getStore(NAMESPACE).put(Resource.class, new Resource(this));
	}

	private void release() {
		try {
			if (this.client != null) {
				this.client.close();
			}
		}
		finally {
			this.client = null;
			S3ProxyServer closing = this.server;
			this.server = null;
			if (closing != null) {
				closing.close();
			}
		}
	}

	/**
	 * Closes the client and server when JUnit closes the context's store.
	 */
	private record Resource(S3ProxyExtension extension) implements AutoCloseable {

		@Override
		public void close() {
			this.extension.release();
		}

	}

}
