package io.evhttp.resumable;

import static org.assertj.core.api.Assertions.assertThat;

import io.evhttp.resumable.TusJsClient.Case;
import io.evhttp.resumable.TusJsClient.Result;
import io.evhttp.resumable.TusJsClient.Run;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real client from another runtime: tus-js-client 4.3 in Node (its {@code fs} and
 * {@code Buffer} inputs), over tus 1.0 and the IETF draft modes it offers. One Node run
 * per test makes every upload; each case is then checked on its own: the stored bytes,
 * fetched from the upload URL, by SHA-256, and its completion fired once.
 */
class TusJsClientTests extends ResumableFixture {

	private static final int MIB = 1 << 20;

	/** The sizes around S3's 5 MiB part minimum, and a large odd one. */
	private static final int[] SIZES = { 0, 1, 5 * MIB - 1, 5 * MIB, 5 * MIB + 1, 64 * MIB + 13 };

	@TempDir
	Path work;

	private final Map<Path, String> digests = new HashMap<>();

	@TestFactory
	Stream<DynamicTest> uploadsOfEverySizeInEveryChunkSizeArriveWhole() throws Exception {
		List<Case> cases = new ArrayList<>();
		for (int size : SIZES) {
			Path file = file(size);
			cases.add(Case.of(size + "-unlimited-file", file, size, "\"input\":\"file\""));
			cases.add(Case.of(size + "-1MiB-buffer", file, size, "\"input\":\"buffer\",\"chunkSize\":" + MIB));
			cases.add(Case.of(size + "-7MiB-file", file, size, "\"input\":\"file\",\"chunkSize\":" + 7 * MIB));
		}
		return check(cases, (result) -> {
		});
	}

	@TestFactory
	Stream<DynamicTest> deferredLengthCreationWithUploadAndParallelUploadsArriveWhole() throws Exception {
		Path empty = file(0);
		Path one = file(1);
		Path two = file(2);
		Path odd = file(5 * MIB + 1);
		Path even = file(2 * MIB);
		Path large = file(64 * MIB + 13);
		String mib = "\"chunkSize\":" + MIB;
		List<Case> cases = List.of(
				Case.of("deferred-buffer-1MiB", odd, 5 * MIB + 1, "\"input\":\"buffer\",\"deferred\":true," + mib),
				Case.of("deferred-stream-1MiB-whole-chunks", even, 2 * MIB,
						"\"input\":\"stream\",\"deferred\":true," + mib),
				// not an empty plain stream: tus-js-client 4.3 waits forever for its
				// first chunk
				Case.of("deferred-buffer-empty", empty, 0, "\"input\":\"buffer\",\"deferred\":true," + mib),
				Case.of("deferred-file-unlimited", one, 1, "\"input\":\"file\",\"deferred\":true"),
				Case.of("creation-with-upload-empty", empty, 0, "\"input\":\"buffer\",\"creation\":true"),
				Case.of("creation-with-upload-one", one, 1, "\"input\":\"file\",\"creation\":true"),
				Case.of("creation-with-upload-unlimited", odd, 5 * MIB + 1, "\"input\":\"file\",\"creation\":true"),
				Case.of("creation-with-upload-1MiB", odd, 5 * MIB + 1, "\"input\":\"buffer\",\"creation\":true," + mib),
				Case.of("parallel-3-large-file", large, 64 * MIB + 13, "\"input\":\"file\",\"parallel\":3"),
				Case.of("parallel-3-buffer-1MiB", odd, 5 * MIB + 1, "\"input\":\"buffer\",\"parallel\":3," + mib),
				// a buffer: tus-js-client 4.3 cannot slice an empty part of a file (end
				// -1)
				Case.of("parallel-3-two-bytes", two, 2, "\"input\":\"buffer\",\"parallel\":3"),
				Case.of("parallel-3-empty", empty, 0, "\"input\":\"buffer\",\"parallel\":3"));
		return check(cases, (result) -> {
		});
	}

	@TestFactory
	Stream<DynamicTest> abortedUploadsResumeFromTheStoredUrl() throws Exception {
		Path file = file(9 * MIB + 7);
		String mib = "\"input\":\"file\",\"chunkSize\":" + MIB;
		List<Case> cases = List.of(
				Case.of("at-a-chunk-resumed-from-storage", file, 9 * MIB + 7,
						mib + ",\"abort\":{\"at\":\"chunk\",\"after\":" + 3 * MIB + ",\"resume\":\"storage\"}"),
				Case.of("within-a-request-resumed-from-url", file, 9 * MIB + 7,
						mib + ",\"abort\":{\"at\":\"request\",\"after\":" + (2 * MIB + 1) + ",\"resume\":\"url\"}"));
		return check(cases, (result) -> {
			if (result.line().contains("at-a-chunk")) {
				assertThat(result.resumedAt()).as(result.line()).isEqualTo(3 * MIB);
			}
			else { // two requests acknowledged; what arrived of the third is kept or not
				assertThat(result.resumedAt()).as(result.line()).isBetween((long) 2 * MIB, (long) 9 * MIB);
			}
		});
	}

	@TestFactory
	Stream<DynamicTest> ietfDraftUploadsArriveWhole() throws Exception {
		Path empty = file(0);
		Path one = file(1);
		Path odd = file(5 * MIB + 1);
		Path resumed = file(9 * MIB + 7);
		List<Case> cases = new ArrayList<>();
		for (String protocol : List.of("ietf-draft-03", "ietf-draft-05")) {
			String p = "\"protocol\":\"" + protocol + "\",";
			String mib = ",\"chunkSize\":" + MIB;
			cases.add(Case.of(protocol + "-empty", empty, 0, p + "\"input\":\"file\""));
			cases.add(Case.of(protocol + "-one", one, 1, p + "\"input\":\"buffer\""));
			cases.add(Case.of(protocol + "-unlimited", odd, 5 * MIB + 1, p + "\"input\":\"file\""));
			cases.add(Case.of(protocol + "-1MiB", odd, 5 * MIB + 1, p + "\"input\":\"buffer\"" + mib));
			cases.add(Case.of(protocol + "-creation-with-upload", odd, 5 * MIB + 1,
					p + "\"input\":\"file\",\"creation\":true" + mib));
			cases.add(Case.of(protocol + "-creation-with-upload-empty", empty, 0,
					p + "\"input\":\"buffer\",\"creation\":true"));
			cases.add(Case.of(protocol + "-deferred", odd, 5 * MIB + 1,
					p + "\"input\":\"buffer\",\"deferred\":true" + mib));
			cases.add(Case.of(protocol + "-aborted-and-resumed", resumed, 9 * MIB + 7, p + "\"input\":\"file\"" + mib
					+ ",\"abort\":{\"at\":\"chunk\",\"after\":" + 3 * MIB + ",\"resume\":\"url\"}"));
		}
		return check(cases, (result) -> {
			if (result.line().contains("aborted")) {
				assertThat(result.resumedAt()).as(result.line()).isEqualTo(3 * MIB);
			}
		});
	}

	/** Runs the cases in one Node process, then checks each one as a test of its own. */
	private Stream<DynamicTest> check(List<Case> cases, Consumer<Result> more) throws Exception {
		int port = start();
		Run run = TusJsClient.run("http://127.0.0.1:" + port + "/resumable/", cases, this.work);
		return cases.stream().map((c) -> DynamicTest.dynamicTest(c.name(), () -> {
			Result result = run.of(c.name());
			assertThat(result.ok()).as("%s%n%s", result.line(), run.output()).isTrue();
			assertThat(storedSha256(result.url())).as(result.line()).isEqualTo(this.digests.get(c.file()));
			String completed = "completed " + idOf(result.url()) + " " + c.size();
			assertThat(this.events.stream().filter(completed::equals)).as(result.line()).hasSize(1);
			more.accept(result);
		}));
	}

	private Path file(int size) throws IOException {
		Path file = this.work.resolve(size + ".bin");
		if (!Files.exists(file)) {
			byte[] data = random(size, size);
			Files.write(file, data);
			this.digests.put(file, sha256(data));
		}
		return file;
	}

	private static String storedSha256(String url) throws Exception {
		HttpURLConnection get = (HttpURLConnection) URI.create(url).toURL().openConnection();
		assertThat(get.getResponseCode()).as("GET " + url).isEqualTo(200);
		MessageDigest sha = MessageDigest.getInstance("SHA-256");
		try (InputStream in = new DigestInputStream(get.getInputStream(), sha)) {
			in.transferTo(OutputStream.nullOutputStream());
		}
		return HexFormat.of().formatHex(sha.digest());
	}

}
