package io.evhttp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.evhttp.form.FormLimits;
import io.evhttp.http.HttpException;
import io.evhttp.internal.form.UrlencodedDecoder;
import io.evhttp.internal.http.ChunkedDecoder;
import io.evhttp.internal.multipart.MultipartListener;
import io.evhttp.internal.multipart.MultipartParser;
import io.evhttp.internal.multipart.Part;
import io.evhttp.multipart.MultipartLimits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the body parsers: chunked decoding, multipart and urlencoded forms. The only
 * failure allowed is an {@link HttpException}; the same bytes split in two give the same
 * result.
 */
class BodyParserFuzzTests {

	@FuzzTest(maxDuration = "2m")
	void chunked(byte[] data) {
		assertThat(chunkedOutcome(data, split(data))).isEqualTo(chunkedOutcome(data, data.length));
	}

	@FuzzTest(maxDuration = "2m")
	void multipart(byte[] data) {
		assertThat(multipartOutcome(data, split(data))).isEqualTo(multipartOutcome(data, data.length));
	}

	@FuzzTest(maxDuration = "2m")
	void urlencoded(byte[] data) {
		assertThat(urlencodedOutcome(data, split(data))).isEqualTo(urlencodedOutcome(data, data.length));
	}

	private static int split(byte[] data) {
		return (data.length < 2) ? data.length : 1 + Math.floorMod(data[data.length - 1] * 17, data.length - 1);
	}

	private static String chunkedOutcome(byte[] data, int split) {
		ChunkedDecoder decoder = new ChunkedDecoder(512);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			for (ByteBuffer in : new ByteBuffer[] { ByteBuffer.wrap(data, 0, split),
					ByteBuffer.wrap(data, split, data.length - split) }) {
				int n;
				while ((n = decoder.nextData(in)) > 0) {
					byte[] b = new byte[n];
					in.get(b);
					out.writeBytes(b);
				}
				if (decoder.isDone()) {
					break;
				}
			}
			return decoder.isDone() + " " + out.toString(StandardCharsets.ISO_8859_1);
		}
		catch (HttpException ex) {
			return "refused " + ex.status();
		}
	}

	private static String multipartOutcome(byte[] data, int split) {
		StringBuilder events = new StringBuilder();
		MultipartParser parser = new MultipartParser("b", new MultipartLimits(256, 16, 64), new MultipartListener() {
			@Override
			public void onPartBegin(Part part) {
				events.append("[").append(part.name()).append('|').append(part.filename()).append('|');
			}

			@Override
			public void onPartContent(ByteBuffer content) {
				byte[] b = new byte[content.remaining()];
				content.get(b);
				events.append(new String(b, StandardCharsets.ISO_8859_1));
			}

			@Override
			public void onPartEnd() {
				events.append("]");
			}
		});
		try {
			parser.parse(ByteBuffer.wrap(data, 0, split));
			parser.parse(ByteBuffer.wrap(data, split, data.length - split));
			parser.finish();
			return events.toString();
		}
		catch (HttpException ex) {
			return "refused " + ex.status();
		}
	}

	private static String urlencodedOutcome(byte[] data, int split) {
		StringBuilder pairs = new StringBuilder();
		UrlencodedDecoder decoder = new UrlencodedDecoder(new FormLimits(64, 256, 32), 413, StandardCharsets.UTF_8,
				(name, value) -> pairs.append(name).append('=').append(value).append('&'));
		try {
			decoder.decode(ByteBuffer.wrap(data, 0, split));
			decoder.decode(ByteBuffer.wrap(data, split, data.length - split));
			decoder.finish();
			return pairs.toString();
		}
		catch (HttpException ex) {
			return "refused " + ex.status();
		}
	}

}
