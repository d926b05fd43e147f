package io.evhttp.resumable;

import static org.assertj.core.api.Assertions.assertThat;

import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.InputStream;
import java.net.URL;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real tus client, tus-java-client 0.5.1: PATCH sent as POST with
 * {@code X-HTTP-Method-Override}, {@code Expect: 100-continue}, chunked bodies. Each
 * result is fetched back and checked by SHA-256.
 */
class TusJavaClientTests extends ResumableFixture {

	private static final int MIB = 1 << 20;

	@TempDir
	Path files;

	@ParameterizedTest(name = "{0} bytes in requests of {1}")
	@CsvSource({ "0, 1048576", "1, 1048576", "5242879, 1048576", "5242880, 7340032", "5242881, 2097152",
			"9437187, 4194304" })
	void uploadsArriveWhole(int size, int requestSize) throws Exception {
		int port = start();
		byte[] data = random(size, size);
		Path file = Files.write(this.files.resolve("f.bin"), data);
		TusClient client = new TusClient();
		client.setUploadCreationURL(new URL("http://127.0.0.1:" + port + "/resumable/"));
		client.enableResuming(new TusURLMemoryStore());
		TusUpload upload = new TusUpload(file.toFile());
		upload.setMetadata(Map.of("filename", "f.bin"));
		TusUploader uploader = client.resumeOrCreateUpload(upload);
		uploader.setChunkSize(64 * 1024);
		uploader.setRequestPayloadSize(requestSize);
		while (uploader.uploadChunk() > -1) {
			// each call sends one chunk; a new request starts every requestSize bytes
		}
		uploader.finish();
		assertThat(uploader.getOffset()).isEqualTo(size);
		assertThat(sha256(get(uploader.getUploadURL()))).isEqualTo(sha256(data));
		assertThat(this.events).contains("completed " + idOf(uploader.getUploadURL().getPath()) + " " + size);
	}

	@ParameterizedTest(name = "stopped after {0} bytes")
	@CsvSource({ "1048576", "3145728" })
	void uploadInterruptedIsResumedByTheClient(int before) throws Exception {
		int port = start();
		byte[] data = random(5 * MIB + 3, 99);
		Path file = Files.write(this.files.resolve("f.bin"), data);
		TusClient client = new TusClient();
		client.setUploadCreationURL(new URL("http://127.0.0.1:" + port + "/resumable/"));
		client.enableResuming(new TusURLMemoryStore());
		TusUploader first = client.resumeOrCreateUpload(new TusUpload(file.toFile()));
		first.setChunkSize(MIB);
		first.setRequestPayloadSize(MIB);
		while (first.getOffset() < before && first.uploadChunk() > -1) {
			// stop part way, as a client that went offline
		}
		first.finish(false);
		TusUploader second = client.resumeOrCreateUpload(new TusUpload(file.toFile()));
		assertThat(second.getOffset()).isEqualTo(before);
		second.setChunkSize(MIB);
		while (second.uploadChunk() > -1) {
			// the rest
		}
		second.finish();
		assertThat(second.getUploadURL()).isEqualTo(first.getUploadURL());
		assertThat(sha256(get(second.getUploadURL()))).isEqualTo(sha256(data));
	}

	private static byte[] get(URL url) throws Exception {
		HttpURLConnection c = (HttpURLConnection) url.openConnection();
		assertThat(c.getResponseCode()).isEqualTo(200);
		try (InputStream in = c.getInputStream()) {
			return in.readAllBytes();
		}
	}

}
