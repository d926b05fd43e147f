package io.evhttp.benchmarks;

import io.evhttp.form.FormLimits;
import io.evhttp.internal.form.UrlencodedDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** Decoding a 2 KiB urlencoded form of 40 fields with escapes and plus signs. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UrlencodedDecoderBenchmark {

	private ByteBuffer form;

	@Setup
	public void setup() {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; sb.length() < 2048; i++) {
			sb.append(i == 0 ? "" : "&")
				.append("field")
				.append(i)
				.append("=value+number+")
				.append(i)
				.append("%2C+caf%C3%A9");
		}
		byte[] bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
		this.form = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
	}

	@Benchmark
	public void decode2KiB(Blackhole bh) {
		this.form.rewind();
		UrlencodedDecoder decoder = new UrlencodedDecoder(FormLimits.BODY_DEFAULTS, 413, StandardCharsets.UTF_8,
				(name, value) -> bh.consume(value));
		decoder.decode(this.form);
		decoder.finish();
	}

}
