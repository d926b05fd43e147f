package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Normal use through curl, the client most people try first: forms, files, -T, chunked,
 * 100-continue.
 */
class CurlTests extends ServerFixture {

	@BeforeAll
	static void curlIsInstalled() {
		Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
	}

	@Test
	void formWithFieldsAndFiles() throws Exception {
		int port = start(ECHO);
		Path file = Files.write(this.tmp.resolveSibling(this.tmp.getFileName() + "-curl.bin"),
				HttpServerTests.randomBytes(2_000_000, 3));
		try {
			String out = curl("-s", "-F", "title=caf\u00e9", "-F", "doc=@" + file + ";type=application/pdf",
					"http://127.0.0.1:" + port + "/up?a=1");
			assertThat(out).startsWith("POST /up\nquery a=[1]\nfield title=[caf\u00e9]\n")
				.contains("file doc " + file.getFileName() + " application/pdf 2000000 "
						+ UploadServerTests.sha256(Files.readAllBytes(file)));
		}
		finally {
			Files.deleteIfExists(file);
		}
		awaitTmpEmpty();
	}

	@Test
	void uploadWithDashTSendsExpect100AndARawBody() throws Exception {
		int port = start(ECHO);
		Path file = Files.write(this.tmp.resolveSibling(this.tmp.getFileName() + "-put.bin"),
				HttpServerTests.randomBytes(3_000_000, 4));
		try {
			String out = curl("-s", "-T", file.toString(), "-H", "Content-Type: application/octet-stream",
					"http://127.0.0.1:" + port + "/put");
			assertThat(out).isEqualTo("PUT /put\nbody application/octet-stream 3000000 "
					+ UploadServerTests.sha256(Files.readAllBytes(file)) + "\n");
		}
		finally {
			Files.deleteIfExists(file);
		}
		awaitTmpEmpty();
	}

	@Test
	void chunkedFormAndKeepAlive() throws Exception {
		int port = start(ECHO);
		String url = "http://127.0.0.1:" + port;
		String out = curl("-s", "-H", "Transfer-Encoding: chunked", "-F", "k=v", url + "/a", "--next", "-s",
				url + "/hello");
		assertThat(out).isEqualTo("POST /a\nfield k=[v]\nHello, World!");
	}

	private static String curl(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("curl", "--max-time", "20"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		byte[] out = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new String(out, StandardCharsets.UTF_8);
	}

}
