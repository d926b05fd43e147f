package io.evhttp.s3;

import static io.evhttp.s3.S3Objects.MIB;
import static io.evhttp.s3.S3Objects.randomBytes;
import static io.evhttp.s3.S3Objects.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.evhttp.s3.test.S3ProxyExtension;
import io.evhttp.s3.test.S3ProxyServer;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * S3Proxy can be stopped or killed in the middle of a test and started again on the same
 * port with the same data, which fault tests ("S3 went away mid-upload") build on.
 */
class S3ProxyRestartTests {

	@RegisterExtension
	static final S3ProxyExtension s3proxy = new S3ProxyExtension();

	private static final String BUCKET = "restart";

	@BeforeAll
	static void createBucket() {
		s3proxy.server().createBucket(BUCKET);
	}

	@ParameterizedTest
	@ValueSource(strings = { "stop", "kill" })
	void objectsAndOpenMultipartUploadsOutliveARestartOnTheSamePort(String how) throws Exception {
		S3ProxyServer server = s3proxy.server();
		S3Client s3 = s3proxy.client();
		String key = how + ".bin";
		byte[] object = randomBytes(100_000, 1);
		byte[] first = randomBytes(5 * MIB, 2);
		byte[] last = randomBytes(1000, 3);
		s3.putObject((request) -> request.bucket(BUCKET).key("object-" + key), RequestBody.fromBytes(object));
		String uploadId = s3.createMultipartUpload((request) -> request.bucket(BUCKET).key(key)).uploadId();
		CompletedPart part1 = uploadPart(s3, key, uploadId, 1, first);
		int port = server.port();

		Consumer<S3ProxyServer> end = how.equals("stop") ? S3ProxyServer::stop : S3ProxyServer::kill;
		end.accept(server);
		assertThat(server.isRunning()).isFalse();
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> connect(port));

		server.start();
		assertThat(server.port()).isEqualTo(port);
		// the client made before the restart still works
		byte[] read = s3.getObjectAsBytes((request) -> request.bucket(BUCKET).key("object-" + key)).asByteArray();
		assertThat(read).isEqualTo(object);
		assertThat(s3.listMultipartUploads((request) -> request.bucket(BUCKET)).uploads())
			.extracting(MultipartUpload::uploadId)
			.contains(uploadId);
		CompletedPart part2 = uploadPart(s3, key, uploadId, 2, last);
		s3.completeMultipartUpload((request) -> request.bucket(BUCKET)
			.key(key)
			.uploadId(uploadId)
			.multipartUpload((upload) -> upload.parts(List.of(part1, part2))));
		byte[] stored = s3.getObjectAsBytes((request) -> request.bucket(BUCKET).key(key)).asByteArray();
		assertThat(sha256(stored)).isEqualTo(sha256(first, last));
	}

	private static CompletedPart uploadPart(S3Client s3, String key, String uploadId, int partNumber, byte[] bytes) {
		String eTag = s3
			.uploadPart((request) -> request.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(partNumber),
					RequestBody.fromBytes(bytes))
			.eTag();
		return CompletedPart.builder().partNumber(partNumber).eTag(eTag).build();
	}

	private static void connect(int port) throws Exception {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
		}
	}

}
