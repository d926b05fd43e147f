package io.evhttp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.evhttp.http.HeadLimits;
import io.evhttp.http.HttpException;
import io.evhttp.internal.http.BodyFraming;
import io.evhttp.internal.http.HeadParser;
import io.evhttp.internal.http.RequestHead;
import java.nio.ByteBuffer;

/**
 * Fuzzes the request-head parser and the framing rules. Whatever the bytes, the only
 * failure allowed is the parser's own {@link HttpException}, and a head split in two
 * parses as it does whole. In {@code mvn verify} this replays the corpus in
 * {@code src/test/resources}; see the README for a bounded fuzzing run.
 */
class HeadParserFuzzTests {

	private static final HeadLimits LIMITS = new HeadLimits(256, 1024, 20);

	@FuzzTest(maxDuration = "2m")
	void parse(byte[] data) {
		String whole = outcome(data, -1);
		if (data.length > 1) {
			int split = 1 + Math.floorMod(data[0] * 31 + data.length, data.length - 1);
			assertThat(outcome(data, split)).as("split at %d", split).isEqualTo(whole);
		}
	}

	private static String outcome(byte[] data, int split) {
		HeadParser parser = new HeadParser(LIMITS);
		try {
			RequestHead head;
			if (split < 0) {
				head = parser.parse(ByteBuffer.wrap(data));
			}
			else {
				head = parser.parse(ByteBuffer.wrap(data, 0, split));
				if (head == null) {
					head = parser.parse(ByteBuffer.wrap(data, split, data.length - split));
				}
			}
			if (head == null) {
				return "incomplete";
			}
			BodyFraming framing = BodyFraming.of(head);
			return head.method() + " " + head.target() + " " + head.minorVersion() + " " + head.headers() + " "
					+ framing;
		}
		catch (HttpException ex) {
			assertThat(ex.status()).isBetween(400, 599);
			return "refused " + ex.status();
		}
	}

}
