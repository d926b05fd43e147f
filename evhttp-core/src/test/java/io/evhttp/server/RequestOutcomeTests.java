package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.http.HttpException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link UploadListener#onComplete}: once per request, with how it ended. */
class RequestOutcomeTests extends ServerFixture {

	private final List<String> outcomes = new CopyOnWriteArrayList<>();

	private final CountDownLatch completed = new CountDownLatch(1);

	private final UploadListener listener = new UploadListener() {
		@Override
		public void onHead(Request request) {
			if (request.path().equals("/refused")) {
				throw new HttpException(403, "not yours");
			}
		}

		@Override
		public void onComplete(Request request, RequestOutcome outcome) {
			RequestOutcomeTests.this.outcomes.add(request.path() + " " + outcome.status() + " " + outcome.bytesSent()
					+ " " + outcome.answered() + " " + (outcome.endNanos() - request.startNanos() >= 0));
			RequestOutcomeTests.this.completed.countDown();
		}
	};

	private int start() throws IOException {
		return start(options(), (req, res) -> {
			if (req.path().equals("/fails")) {
				throw new IllegalStateException("broken handler");
			}
			ECHO.handle(req, res);
		}, this.listener, null);
	}

	@Test
	void answeredRequestEndsWithItsStatusAndBodyBytes() throws Exception {
		int port = start();
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
		}
		assertThat(this.completed.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.outcomes).containsExactly("/hello 200 13 true true");
	}

	@Test
	void refusalEndsWithTheStatusAnswered() throws Exception {
		int port = start();
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send("GET /refused HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(403);
		}
		assertThat(this.completed.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.outcomes).containsExactly("/refused 403 0 true true");
	}

	@Test
	void handlerFailureEndsWith500() throws Exception {
		int port = start();
		try (RawClient client = new RawClient(port)) {
			assertThat(client.send("GET /fails HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(500);
		}
		assertThat(this.completed.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.outcomes).containsExactly("/fails 500 0 true true");
	}

	@Test
	void clientGoneMidBodyEndsWith499() throws Exception {
		int port = start();
		byte[] body = new Multipart().file("f", "x", null, new byte[200_000]).build();
		byte[] request = Multipart.request("/upload", body, "");
		try (RawClient client = new RawClient(port)) {
			client.send(Arrays.copyOf(request, request.length - 100_000));
		}
		assertThat(this.completed.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.outcomes).containsExactly("/upload 499 0 false true");
		awaitTmpEmpty();
	}

}
