package io.evhttp.benchmarks;

import io.evhttp.http.HeadLimits;
import io.evhttp.internal.http.HeadParser;
import io.evhttp.internal.http.RequestHead;
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

/**
 * Parsing a request head: a short {@code GET /hello} as wrk sends it, and a browser's
 * upload POST.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeadParserBenchmark {

	private static final byte[] HELLO = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1:8090\r\n\r\n"
		.getBytes(StandardCharsets.US_ASCII);

	private static final byte[] BROWSER = ("POST /upload?sha256=1 HTTP/1.1\r\nHost: localhost:8090\r\n"
			+ "Connection: keep-alive\r\nContent-Length: 1048576\r\nCache-Control: max-age=0\r\n"
			+ "sec-ch-ua: \"Chromium\";v=\"156\", \"Not:A-Brand\";v=\"24\"\r\nsec-ch-ua-mobile: ?0\r\n"
			+ "Origin: http://localhost:8090\r\nContent-Type: multipart/form-data; boundary=----WebKitFormBoundaryx\r\n"
			+ "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36\r\n"
			+ "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
			+ "Referer: http://localhost:8090/\r\nAccept-Encoding: gzip, deflate, br\r\nAccept-Language: en-GB,en;q=0.9\r\n"
			+ "Cookie: session=0123456789abcdef; theme=dark\r\n\r\n")
		.getBytes(StandardCharsets.US_ASCII);

	private HeadParser parser;

	private ByteBuffer hello;

	private ByteBuffer browser;

	@Setup
	public void setup() {
		this.parser = new HeadParser(HeadLimits.DEFAULTS);
		this.hello = ByteBuffer.allocateDirect(HELLO.length).put(HELLO).flip();
		this.browser = ByteBuffer.allocateDirect(BROWSER.length).put(BROWSER).flip();
	}

	@Benchmark
	public RequestHead hello() {
		this.parser.reset();
		this.hello.rewind();
		return this.parser.parse(this.hello);
	}

	@Benchmark
	public RequestHead browserUpload() {
		this.parser.reset();
		this.browser.rewind();
		return this.parser.parse(this.browser);
	}

}
