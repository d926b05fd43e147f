package io.evhttp.server;

import io.evhttp.internal.http.BodyFraming;
import io.evhttp.http.HttpException;
import io.evhttp.internal.http.RequestHead;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One request on a connection, from its head to its last response byte: the request, its
 * response, its body, and the handler's run. It owns what ends with the request (the
 * body's files and disk budget, the failure reported once) and stands between the
 * connection and everything that may call back later, from any thread: the body's reader
 * and store, the handler, and the application through {@link Request}. A call that
 * arrives after its exchange ended finds it no longer current and does nothing.
 */
final class Exchange implements RequestBody.Owner {

	private static final Logger log = Logger.getLogger(Exchange.class.getName());

	private final Connection connection;

	private final ListenerConfig config;

	private final Request request;

	private final Response response;

	private RequestBody body;

	private boolean failureReported;

	private boolean ended;

	Exchange(Connection connection, ListenerConfig config, RequestStart start, RequestHead head, BodyFraming framing) {
		this.connection = connection;
		this.config = config;
		this.request = start.request(head, framing, this);
		this.response = new Response(connection, this.request);
	}

	Request request() {
		return this.request;
	}

	Response response() {
		return this.response;
	}

	void readBody(RequestBody body) {
		this.body = body;
	}

	/** Whether body bytes are still wanted from the wire. */
	boolean isReadingBody() {
		return this.body != null && this.body.isReading();
	}

	/**
	 * Feeds body bytes from {@code buf}, advancing its position.
	 * @return the body bytes received so far
	 */
	long feed(ByteBuffer buf) throws IOException {
		RequestBody fed = this.body; // the handler may be done with it on return
		fed.feed(buf);
		return fed.received();
	}

	/** Runs the handler where it belongs; a failure comes back to the loop. */
	void dispatch() {
		HandlerDispatch.run(this.config, this.request, this.response, (req, reason) -> {
			if (!this.ended) {
				this.connection.onHandlerFailed(this, reason);
			}
		});
	}

	/** Tells the listener the request failed: once, and never after the handler ran. */
	void reportFailure(HttpException reason) {
		if (this.failureReported) {
			return;
		}
		this.failureReported = true;
		try {
			this.config.uploads().onError(this.request, reason);
		}
		catch (RuntimeException callbackFailure) {
			log.log(Level.WARNING, "onError callback failed", callbackFailure);
		}
	}

	/**
	 * The request is over with {@code status} (499: no answer): its body closed, its
	 * files removed unless kept, the listener told. Idempotent.
	 */
	void end(int status) {
		if (this.ended) {
			return;
		}
		this.ended = true;
		if (this.body != null) {
			this.body.close();
			this.body = null;
		}
		this.request.deleteFiles();
		long sent = (status == 499) ? 0 : this.response.bodyBytes();
		try {
			this.config.uploads().onComplete(this.request, new RequestOutcome(status, sent, System.nanoTime()));
		}
		catch (RuntimeException callbackFailure) {
			log.log(Level.WARNING, "onComplete callback failed", callbackFailure);
		}
	}

	// ---- for the application, through Request: any thread

	javax.net.ssl.SSLSession sslSession() {
		return this.connection.sslSession();
	}

	void pauseBody(PauseReason reason) {
		onLoop(() -> this.connection.pauseBody(this, reason));
	}

	void resumeBody(PauseReason reason) {
		onLoop(() -> this.connection.resumeBody(this, reason));
	}

	void drop() {
		onLoop(() -> this.connection.abort(this, "dropped by the application"));
	}

	private void onLoop(Runnable task) {
		if (this.connection.inLoop()) {
			task.run();
		}
		else {
			execute(task);
		}
	}

	// ---- for the body, its reader and its store

	@Override
	public boolean isBodyPaused() {
		return this.connection.isBodyPaused();
	}

	@Override
	public void pauseBody(RequestBody from, PauseReason reason) {
		if (this.body == from) {
			this.connection.pauseBody(this, reason);
		}
	}

	@Override
	public void resumeBody(RequestBody from, PauseReason reason) {
		if (this.body == from) {
			this.connection.resumeBody(this, reason);
		}
	}

	@Override
	public void onBodyComplete(RequestBody from) {
		if (this.body == from) {
			this.connection.onBodyStored(this);
		}
	}

	@Override
	public void onBodyFailed(RequestBody from, HttpException failure) {
		if (this.body == from) {
			this.connection.onBodyFailed(this, failure);
		}
	}

	@Override
	public void execute(Runnable task) {
		this.connection.execute(task);
	}

}
