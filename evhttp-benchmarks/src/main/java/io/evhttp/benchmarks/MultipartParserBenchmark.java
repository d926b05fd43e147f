package io.evhttp.benchmarks;

import io.evhttp.internal.multipart.MultipartListener;
import io.evhttp.internal.multipart.MultipartParser;
import io.evhttp.multipart.MultipartLimits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Scanning a multipart body of one 1 MiB random file part for its delimiter, fed in
 * read-sized direct buffers as the event loop does. Bytes per op =
 * {@code 1 MiB + headers}: MB/s is {@code 1.048576 / (ms/op)} ... reported by the script
 * that renders docs/BENCHMARKS.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MultipartParserBenchmark {

	private static final String BOUNDARY = "----LoadGenBoundary7MA4YWxkTrZu0gW18a2b3c4d5e6";

	@Param({ "65536", "262144" })
	public int readSize;

	@Param({ "random", "text", "csv" })
	public String content;

	private ByteBuffer body;

	private Blackhole blackhole;

	@Setup
	public void setup(Blackhole blackhole) {
		this.blackhole = blackhole;
		byte[] file = new byte[1 << 20];
		if (this.content.equals("random")) {
			new Random(1).nextBytes(file);
		}
		else if (this.content.equals("csv")) {
			// rows of an export: dates, names, amounts; letters and digits of the
			// boundary are everywhere, CRLF ends every row
			Random random = new Random(1);
			String[] names = { "Alice", "Bob", "Carol", "Dave", "Eve", "Mallory", "Trent", "Walter" };
			StringBuilder csv = new StringBuilder();
			while (csv.length() < file.length) {
				csv.append("2026-")
					.append(1 + random.nextInt(12))
					.append('-')
					.append(1 + random.nextInt(28))
					.append(',');
				csv.append(names[random.nextInt(names.length)]).append(',').append(random.nextInt(100_000));
				csv.append('.').append(random.nextInt(100)).append(",EUR,ok\r\n");
			}
			System.arraycopy(csv.toString().getBytes(StandardCharsets.US_ASCII), 0, file, 0, file.length);
		}
		else {
			byte[] line = "line of text -- with dashes\r\n--and CRLF followed by dashes, as in a log file\r\n"
				.getBytes(StandardCharsets.US_ASCII);
			for (int i = 0; i < file.length; i++) {
				file[i] = line[i % line.length];
			}
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.writeBytes(file);
		out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		byte[] bytes = out.toByteArray();
		this.body = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
	}

	@Benchmark
	public void parse1MiB() {
		Blackhole bh = this.blackhole;
		MultipartParser parser = new MultipartParser(BOUNDARY, MultipartLimits.DEFAULTS, new MultipartListener() {
			@Override
			public void onPartContent(ByteBuffer content) {
				bh.consume(content.remaining());
			}
		});
		int limit = this.body.capacity();
		for (int pos = 0; pos < limit; pos += this.readSize) {
			ByteBuffer read = this.body.slice(pos, Math.min(this.readSize, limit - pos));
			parser.parse(read);
		}
		parser.finish();
	}

}
