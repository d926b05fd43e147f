package io.evhttp.resumable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs {@code src/test/js/uploads.js} (tus-js-client in Node, installed by the build into
 * {@code target/js}) once for a list of upload cases, and reads back one result per case.
 * The script's whole output goes into every failure message.
 */
final class TusJsClient {

	/** One upload for the script to make: the fields {@code uploads.js} reads. */
	record Case(String name, Path file, long size, String json) {

		/** A case uploading {@code file} ({@code size} bytes) with these extra fields. */
		static Case of(String name, Path file, long size, String fields) {
			String json = "{\"name\":\"" + name + "\",\"file\":\"" + file.toString().replace("\\", "\\\\") + "\""
					+ (fields.isEmpty() ? "" : "," + fields) + "}";
			return new Case(name, file, size, json);
		}

	}

	/**
	 * What the script printed for one case.
	 *
	 * @param ok whether the upload succeeded
	 * @param url the upload's URL, or {@code null}
	 * @param resumedAt the offset a resumed upload went on from, or -1
	 * @param line the line as printed
	 */
	record Result(boolean ok, String url, long resumedAt, String line) {

	}

	/**
	 * The results of one run, by case name, and everything the script printed.
	 *
	 * @param results one per case
	 * @param output stdout and stderr, for failure messages
	 */
	record Run(Map<String, Result> results, String output) {

		Result of(String name) {
			Result result = this.results.get(name);
			if (result == null) {
				throw new AssertionError("no result for " + name + " in:\n" + this.output);
			}
			return result;
		}

	}

	private static final long TIMEOUT_SECONDS = 180;

	private TusJsClient() {
	}

	/**
	 * Runs every case, in order, against {@code endpoint}; {@code work} holds the scratch
	 * files.
	 */
	static Run run(String endpoint, List<Case> cases, Path work) throws IOException, InterruptedException {
		Path js = Path.of(System.getProperty("evhttp.js.dir", "target/js")).toAbsolutePath();
		if (!Files.isDirectory(js.resolve("node_modules/tus-js-client"))) {
			throw new IllegalStateException("tus-js-client is not installed in " + js + ": build with mvn,"
					+ " which copies src/test/js there and runs npm ci");
		}
		Path spec = work.resolve("cases.json");
		Files.writeString(spec,
				"{\"endpoint\":\"" + endpoint + "\",\"storage\":\"" + work.resolve("urls.json") + "\",\"cases\":["
						+ cases.stream().map(Case::json).collect(Collectors.joining(",")) + "]}",
				StandardCharsets.UTF_8);
		Path out = work.resolve("stdout.txt");
		Path err = work.resolve("stderr.txt");
		Process node = new ProcessBuilder(System.getProperty("evhttp.node", "node"), "uploads.js", spec.toString())
			.directory(js.toFile())
			.redirectOutput(out.toFile())
			.redirectError(err.toFile())
			.start();
		boolean exited = node.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		if (!exited) {
			node.destroyForcibly().waitFor();
		}
		String output = "stdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err);
		if (!exited) {
			throw new AssertionError("node ran over " + TIMEOUT_SECONDS + " s:\n" + output);
		}
		if (node.exitValue() != 0) {
			throw new AssertionError("node exited with " + node.exitValue() + ":\n" + output);
		}
		return new Run(parse(Files.readAllLines(out)), output);
	}

	private static Map<String, Result> parse(List<String> lines) {
		Map<String, Result> results = new LinkedHashMap<>();
		for (String line : lines) {
			List<String> words = new ArrayList<>(List.of(line.split(" ", 4)));
			if (words.size() == 4 && words.get(0).equals("ok")) {
				long resumedAt = words.get(3).equals("-") ? -1 : Long.parseLong(words.get(3));
				results.put(words.get(1), new Result(true, words.get(2), resumedAt, line));
			}
			else if (words.size() >= 2 && words.get(0).equals("failed")) {
				results.put(words.get(1), new Result(false, null, -1, line));
			}
		}
		return results;
	}

}
