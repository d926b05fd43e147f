package io.evhttp.spring.autoconfigure;

import io.evhttp.server.Handler;
import io.evhttp.server.UploadListener;
import io.evhttp.spring.Threading;
import io.evhttp.upload.UploadStore;
import java.util.List;

/**
 * One {@code @EvUploadHandler} bean, resolved.
 *
 * @param beanName name of the bean
 * @param handler the bean as a handler
 * @param callbacks the bean as raw callbacks, or {@link UploadListener#NONE}
 * @param port port to listen on (0: any free port)
 * @param paths Ant-style path patterns
 * @param threading where the handler runs
 * @param maxFileBytes largest file, -1 for none, {@code Long.MIN_VALUE} for the global
 * limit
 * @param maxRequestBytes largest body, -1 for none, {@code Long.MIN_VALUE} for the global
 * limit
 * @param timeout body timeout for this handler, or {@code null} for the global one
 * @param events whether uploads are published as events
 * @param store where this handler's files go, or {@code null} for the server's store
 * @param sslBundle the SSL bundle of this handler's port, or {@code null} for
 * {@code evhttp.ssl.bundle}
 */
record HandlerRoute(String beanName, Handler handler, UploadListener callbacks, int port, List<String> paths,
		Threading threading, long maxFileBytes, long maxRequestBytes, java.time.Duration timeout, boolean events,
		UploadStore store, String sslBundle) {
}
