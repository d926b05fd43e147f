package io.evhttp.internal.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.evhttp.http.HttpException;
import io.evhttp.multipart.MultipartLimits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultipartParserTests {

	private static final String BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

	private static final String FORM = """
			preamble to ignore\r
			------WebKitFormBoundary7MA4YWxkTrZu0gW\r
			Content-Disposition: form-data; name="title"\r
			\r
			Hello --not a boundary\r
			--almost\r
			------WebKitFormBoundary7MA4YWxkTrZu0gW   \r
			Content-Disposition: form-data; name="file"; filename="C:\\x\\a.txt"\r
			Content-Type: application/octet-stream\r
			\r
			line1\r
			line2\r
			------WebKitFormBoundary7MA4YWxkTrZu0gW\r
			Content-Disposition: form-data; name="empty"; filename=""\r
			\r
			\r
			------WebKitFormBoundary7MA4YWxkTrZu0gW--\r
			epilogue""";

	private static final String EXPECTED = "begin title null text/plain|content Hello --not a boundary\r\n--almost|end|"
			+ "begin file C:\\x\\a.txt application/octet-stream|content line1\r\nline2|end|"
			+ "begin empty  text/plain|content |end|complete";

	@Test
	void reportsPartsInOrder() {
		assertThat(parseInPieces(FORM.getBytes(StandardCharsets.UTF_8), new int[0])).isEqualTo(EXPECTED);
	}

	@Test
	void sameEventsWhateverTheSplit() {
		byte[] bytes = FORM.getBytes(StandardCharsets.UTF_8);
		for (int split = 0; split <= bytes.length; split++) {
			assertThat(parseInPieces(bytes, new int[] { split })).as("split at %d", split).isEqualTo(EXPECTED);
		}
	}

	@Test
	void sameEventsOneByteAtATime() {
		byte[] bytes = FORM.getBytes(StandardCharsets.UTF_8);
		int[] splits = new int[bytes.length];
		for (int i = 0; i < splits.length; i++) {
			splits[i] = i;
		}
		assertThat(parseInPieces(bytes, splits)).isEqualTo(EXPECTED);
	}

	@Test
	void sameEventsForRandomSplits() {
		byte[] bytes = FORM.getBytes(StandardCharsets.UTF_8);
		Random random = new Random(7);
		for (int round = 0; round < 500; round++) {
			int[] splits = random.ints(1 + random.nextInt(20), 0, bytes.length + 1).sorted().toArray();
			assertThat(parseInPieces(bytes, splits)).as("splits %s", java.util.Arrays.toString(splits))
				.isEqualTo(EXPECTED);
		}
	}

	@Test
	void firstDelimiterWithoutPreamble() {
		String body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--";
		assertThat(parseInPieces(body.getBytes(StandardCharsets.US_ASCII), new int[0]))
			.isEqualTo("begin a null text/plain|content 1|end|complete");
	}

	@Test
	void fileDataWithEveryByteValueAndBoundaryLookalikesSurvives() {
		ByteArrayOutputStream data = new ByteArrayOutputStream();
		for (int i = 0; i < 4; i++) {
			for (int b = 0; b < 256; b++) {
				data.write(b);
			}
			data.writeBytes("\r\n--boundar\r\n--boundarY\r\n-boundary\r--boundary".getBytes(StandardCharsets.US_ASCII));
		}
		data.writeBytes("\r\n\r\r\n--".getBytes(StandardCharsets.US_ASCII));
		byte[] file = data.toByteArray();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes("--boundary\r\nContent-Disposition: form-data; name=\"f\"; filename=\"b.bin\"\r\n\r\n"
			.getBytes(StandardCharsets.US_ASCII));
		body.writeBytes(file);
		body.writeBytes("\r\n--boundary--\r\n".getBytes(StandardCharsets.US_ASCII));
		byte[] bytes = body.toByteArray();
		Random random = new Random(3);
		for (int round = 0; round < 300; round++) {
			int[] splits = random.ints(random.nextInt(30), 0, bytes.length + 1).sorted().toArray();
			Collector collector = new Collector();
			MultipartParser parser = new MultipartParser("boundary", MultipartLimits.DEFAULTS, collector);
			feed(parser, bytes, splits);
			parser.finish();
			assertThat(collector.content.toByteArray()).as("splits %s", java.util.Arrays.toString(splits))
				.isEqualTo(file);
		}
	}

	@Test
	void partialDelimiterAtBufferEdgeIsGivenBackAsContent() {
		String body = "--xyz\r\nContent-Disposition: form-data; name=\"a\"; filename=\"f\"\r\n\r\nab\r\n--xy";
		String rest = "q\r\n--xyz--";
		Collector collector = new Collector();
		MultipartParser parser = new MultipartParser("xyz", MultipartLimits.DEFAULTS, collector);
		parser.parse(ByteBuffer.wrap(body.getBytes(StandardCharsets.US_ASCII)));
		assertThat(collector.content.toString(StandardCharsets.US_ASCII)).isEqualTo("ab");
		parser.parse(ByteBuffer.wrap(rest.getBytes(StandardCharsets.US_ASCII)));
		assertThat(collector.content.toString(StandardCharsets.US_ASCII)).isEqualTo("ab\r\n--xyq");
		assertThat(parser.isComplete()).isTrue();
	}

	@Test
	void filenameStarWinsAndQuotesFollowBrowsers() {
		String body = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"plain.txt\"; "
				+ "filename*=UTF-8''%E2%82%AC%20rates.txt\r\nContent-Type: text/csv; charset=utf-8\r\n\r\nx\r\n"
				+ "--b\r\nContent-Disposition: form-data; name=\"a\\\"; filename=\"say %22hi%22.txt\"\r\n\r\ny\r\n--b--";
		assertThat(parseInPieces(body.getBytes(StandardCharsets.UTF_8), new int[0]))
			.isEqualTo("begin f \u20ac rates.txt text/csv; charset=utf-8|content x|end|"
					+ "begin a\\ say %22hi%22.txt text/plain|content y|end|complete");
	}

	/**
	 * Escapes as Spring, Go and {@code curl --form-escape} write them, and headers folded
	 * as RFC 5322 allows (Apache Commons FileUpload reads them: FILEUPLOAD-111).
	 */
	private static final String ESCAPED_AND_FOLDED = """
			--b\r
			Content-Disposition: form-data;\r
			 name="f";\r
			\tfilename="say \\"hi\\" \\\\ C:\\x.txt"\r
			Content-Type:\r
			 text/csv;\r
			   charset=utf-8\r
			\r
			x\r
			--b--""";

	@Test
	void escapedFilenameAndFoldedHeadersAreReadWhateverTheSplit() {
		byte[] bytes = ESCAPED_AND_FOLDED.getBytes(StandardCharsets.US_ASCII);
		String expected = "begin f say \"hi\" \\ C:\\x.txt text/csv;   charset=utf-8|content x|end|complete";
		for (int split = 0; split <= bytes.length; split++) {
			assertThat(parseInPieces(bytes, new int[] { split })).as("split at %d", split).isEqualTo(expected);
		}
		int[] everyByte = java.util.stream.IntStream.range(0, bytes.length).toArray();
		assertThat(parseInPieces(bytes, everyByte)).isEqualTo(expected);
	}

	/** RFC 5322 §2.2.3: unfolding removes the CRLF and keeps the whitespace after it. */
	@Test
	void unfoldingKeepsTheWhitespaceAfterTheLineBreak() {
		Collector collector = new Collector();
		MultipartParser parser = new MultipartParser("b", MultipartLimits.DEFAULTS, collector);
		parser.parse(ByteBuffer.wrap(ESCAPED_AND_FOLDED.getBytes(StandardCharsets.US_ASCII)));
		parser.finish();
		Part part = collector.parts.get(0);
		assertThat(part.headers().get("Content-Disposition"))
			.isEqualTo("form-data; name=\"f\";\tfilename=\"say \\\"hi\\\" \\\\ C:\\x.txt\"");
		assertThat(part.charset()).isEqualTo("utf-8");
	}

	@Test
	void foldsCountAgainstThePartHeaderLimit() {
		String headers = "Content-Disposition: form-data;\r\n name=a;\r\n\tfilename=x.txt\r\n\r\n";
		String body = "--b\r\n" + headers + "x\r\n--b--";
		byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
		MultipartParser atLimit = new MultipartParser("b", new MultipartLimits(headers.length(), 10), new Collector());
		atLimit.parse(ByteBuffer.wrap(bytes));
		atLimit.finish();
		MultipartParser overLimit = new MultipartParser("b", new MultipartLimits(headers.length() - 1, 10),
				new Collector());
		assertThatThrownBy(() -> overLimit.parse(ByteBuffer.wrap(bytes))).isInstanceOfSatisfying(HttpException.class,
				(ex) -> assertThat(ex.status()).isEqualTo(413));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "fold with no header to continue | --b\\r\\n name=a\\r\\n\\r\\nx\\r\\n--b--",
			"bare LF inside a fold | --b\\r\\nContent-Disposition: form-data;\\r\\n name=a\\n\\r\\nx\\r\\n--b--" })
	void malformedFoldsAreRefusedWith400(String attack, String input) {
		byte[] bytes = input.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.US_ASCII);
		MultipartParser parser = new MultipartParser("b", MultipartLimits.DEFAULTS, new Collector());
		assertThatThrownBy(() -> {
			parser.parse(ByteBuffer.wrap(bytes));
			parser.finish();
		}).isInstanceOfSatisfying(HttpException.class, (ex) -> assertThat(ex.status()).isEqualTo(400));
	}

	/** {@code curl -F 'p=@a.txt;type="text/plain; charset=utf-8"'} sends the quotes. */
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "'\"text/plain; charset=utf-8\"' | ", "garbage | ", "text/plain; charset | ",
			"text/plain; charset=\"iso-8859-1\" | iso-8859-1", "text/plain | ", "Text/Plain;CHARSET=utf-8 | utf-8" })
	void partTypeThatIsNoMediaTypeIsKeptAsSentWithoutCharset(String contentType, String charset) {
		String body = "--b\r\nContent-Disposition: form-data; name=\"p\"; filename=\"a.txt\"\r\nContent-Type: "
				+ contentType + "\r\n\r\nx\r\n--b--";
		Collector collector = new Collector();
		MultipartParser parser = new MultipartParser("b", MultipartLimits.DEFAULTS, collector);
		parser.parse(ByteBuffer.wrap(body.getBytes(StandardCharsets.US_ASCII)));
		parser.finish();
		assertThat(collector.parts.get(0).contentType()).isEqualTo(contentType);
		assertThat(collector.parts.get(0).charset()).isEqualTo(charset);
		assertThat(String.join("|", collector.events)).endsWith("|content x|end|complete");
	}

	@Test
	void preambleUpToItsLimitIsSkippedWhateverTheSplit() {
		byte[] bytes = ("p".repeat(16) + "\r\n--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b--")
			.getBytes(StandardCharsets.US_ASCII);
		for (int split = 0; split <= bytes.length; split++) {
			Collector collector = new Collector();
			MultipartParser parser = new MultipartParser("b", new MultipartLimits(1024, 10, 16), collector);
			feed(parser, bytes, new int[] { split });
			parser.finish();
			assertThat(String.join("|", collector.events)).as("split at %d", split)
				.isEqualTo("begin a null text/plain|content 1|end|complete");
		}
	}

	@Test
	void preambleOverItsLimitIsRefusedWith400WhateverTheSplit() {
		byte[] bytes = ("p".repeat(17) + "\r\n--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b--")
			.getBytes(StandardCharsets.US_ASCII);
		for (int split = 0; split <= bytes.length; split++) {
			int[] splits = { split };
			MultipartParser parser = new MultipartParser("b", new MultipartLimits(1024, 10, 16), new Collector());
			assertThatThrownBy(() -> feed(parser, bytes, splits)).as("split at %d", split)
				.isInstanceOfSatisfying(HttpException.class, (ex) -> assertThat(ex.status()).isEqualTo(400));
		}
	}

	/**
	 * A body that never holds its boundary is refused on its first bytes, not its last.
	 */
	@Test
	void bodyWithoutItsBoundaryIsRefusedAsSoonAsThePreambleLimitIsCrossed() {
		MultipartParser parser = new MultipartParser("b", new MultipartLimits(1024, 10, 16), new Collector());
		parser.parse(ByteBuffer.wrap("\r\n--".getBytes(StandardCharsets.US_ASCII)));
		parser.parse(ByteBuffer.wrap("x".repeat(12).getBytes(StandardCharsets.US_ASCII)));
		assertThatThrownBy(() -> parser.parse(ByteBuffer.wrap(new byte[] { 'x' })))
			.isInstanceOfSatisfying(HttpException.class, (ex) -> assertThat(ex.status()).isEqualTo(400));
	}

	@Test
	void defaultPreambleLimitIs8KiB() {
		assertThat(MultipartLimits.DEFAULTS.maxPreambleBytes()).isEqualTo(8 * 1024);
		assertThat(new MultipartLimits(1024, 10).maxPreambleBytes()).isEqualTo(8 * 1024);
	}

	@ParameterizedTest(name = "{0} -> {2}")
	@CsvSource(delimiter = '|', value = {
			"junk after delimiter | --b\\r\\nContent-Disposition: form-data; name=a\\r\\n\\r\\nx\\r\\n--bX | 400",
			"no Content-Disposition | --b\\r\\nContent-Type: text/plain\\r\\n\\r\\nx\\r\\n--b-- | 400",
			"not form-data | --b\\r\\nContent-Disposition: attachment; name=a\\r\\n\\r\\nx\\r\\n--b-- | 400",
			"bare LF in part headers | --b\\r\\nContent-Disposition: form-data; name=a\\n\\r\\n | 400",
			"malformed part header | --b\\r\\nContent-Disposition form-data\\r\\n\\r\\n | 400",
			"unterminated quote | --b\\r\\nContent-Disposition: form-data; name=\"a\\r\\n\\r\\nx\\r\\n--b-- | 400" })
	void refusesMalformedBodies(String attack, String input, int status) {
		byte[] bytes = input.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.US_ASCII);
		MultipartParser parser = new MultipartParser("b", MultipartLimits.DEFAULTS, new Collector());
		assertThatThrownBy(() -> {
			parser.parse(ByteBuffer.wrap(bytes));
			parser.finish();
		}).isInstanceOfSatisfying(HttpException.class, (ex) -> assertThat(ex.status()).isEqualTo(status));
	}

	@Test
	void bodyEndingBeforeCloseDelimiterIsRefused() {
		MultipartParser parser = new MultipartParser("b", MultipartLimits.DEFAULTS, new Collector());
		parser.parse(ByteBuffer
			.wrap("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nxyz".getBytes(StandardCharsets.US_ASCII)));
		assertThatThrownBy(parser::finish).isInstanceOfSatisfying(HttpException.class,
				(ex) -> assertThat(ex.status()).isEqualTo(400));
	}

	/** CVE-2023-24998 class: a flood of tiny parts. */
	@Test
	void partCountFloodIsRefusedWith413() {
		String part = "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n";
		byte[] bytes = (part.repeat(11) + "--b--").getBytes(StandardCharsets.US_ASCII);
		MultipartParser parser = new MultipartParser("b", new MultipartLimits(1024, 10), new Collector());
		assertThatThrownBy(() -> parser.parse(ByteBuffer.wrap(bytes))).isInstanceOfSatisfying(HttpException.class,
				(ex) -> assertThat(ex.status()).isEqualTo(413));
	}

	@Test
	void longHeaderLinesArriveWholeWhateverTheSplit() {
		// longer than the copy buffer and the header buffer's first size, so lines are
		// stored in several runs and the buffer grows between them
		String filename = "f".repeat(700) + ".txt";
		String comment = "c".repeat(300);
		byte[] bytes = ("--b\r\nContent-Disposition: form-data; name=a; filename=\"" + filename + "\"\r\nX-Comment: "
				+ comment + "\r\n  folded\r\n\r\nx\r\n--b--")
			.getBytes(StandardCharsets.US_ASCII);
		Random random = new Random(12);
		for (int round = 0; round < 200; round++) {
			int[] splits = random.ints(random.nextInt(12), 0, bytes.length + 1).sorted().toArray();
			Collector collector = new Collector();
			MultipartParser parser = new MultipartParser("b", MultipartLimits.DEFAULTS, collector);
			feed(parser, bytes, splits);
			parser.finish();
			Part part = collector.parts.get(0);
			assertThat(part.filename()).as("splits %s", java.util.Arrays.toString(splits)).isEqualTo(filename);
			assertThat(part.headers().get("X-Comment")).isEqualTo(comment + "  folded");
		}
	}

	@Test
	void hugePartHeadersAreRefusedWith413() {
		byte[] bytes = ("--b\r\nContent-Disposition: form-data; name=a\r\nX-Pad: " + "p".repeat(2000))
			.getBytes(StandardCharsets.US_ASCII);
		MultipartParser parser = new MultipartParser("b", new MultipartLimits(1024, 10), new Collector());
		assertThatThrownBy(() -> parser.parse(ByteBuffer.wrap(bytes))).isInstanceOfSatisfying(HttpException.class,
				(ex) -> assertThat(ex.status()).isEqualTo(413));
	}

	@Test
	void longRepetitiveBoundaryAndAlmostMatchingDataParse() {
		String boundary = "a".repeat(70);
		String almost = ("\r\n--" + "a".repeat(69) + "b").repeat(50);
		String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=f; filename=x\r\n\r\n" + almost
				+ "\r\n--" + boundary + "--";
		Collector collector = new Collector();
		MultipartParser parser = new MultipartParser(boundary, MultipartLimits.DEFAULTS, collector);
		feed(parser, body.getBytes(StandardCharsets.US_ASCII), new int[] { 100, 333, 1000, 2001 });
		parser.finish();
		assertThat(collector.content.toString(StandardCharsets.US_ASCII)).isEqualTo(almost);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "multipart/form-data; boundary=abc | abc",
					"multipart/form-data; charset=utf-8; boundary=\"a b:c\" | a b:c",
					"Multipart/Form-Data;BOUNDARY=xyz;foo=bar | xyz" })
	void readsTheBoundaryParameter(String contentType, String boundary) {
		assertThat(MultipartParser.boundaryOf(io.evhttp.internal.http.MediaType.parse(contentType)))
			.isEqualTo(boundary);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "multipart/form-data", "multipart/form-data; boundary=",
			"multipart/form-data; boundary=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" })
	void refusesMissingOrOverlongBoundary(String contentType) {
		assertThatThrownBy(() -> MultipartParser.boundaryOf(io.evhttp.internal.http.MediaType.parse(contentType)))
			.isInstanceOf(HttpException.class);
	}

	private static String parseInPieces(byte[] bytes, int[] splits) {
		Collector collector = new Collector();
		MultipartParser parser = new MultipartParser(boundaryOf(bytes), MultipartLimits.DEFAULTS, collector);
		feed(parser, bytes, splits);
		parser.finish();
		return String.join("|", collector.events);
	}

	private static String boundaryOf(byte[] bytes) {
		String text = new String(bytes, StandardCharsets.ISO_8859_1);
		return text.contains(BOUNDARY) ? BOUNDARY : "b";
	}

	private static void feed(MultipartParser parser, byte[] bytes, int[] splits) {
		int pos = 0;
		for (int split : splits) {
			parser.parse(ByteBuffer.wrap(bytes, pos, split - pos));
			pos = split;
		}
		parser.parse(ByteBuffer.wrap(bytes, pos, bytes.length - pos));
	}

	/** Records the listener's calls as short strings; content of one part is joined. */
	private static final class Collector implements MultipartListener {

		final List<String> events = new ArrayList<>();

		final List<Part> parts = new ArrayList<>();

		final ByteArrayOutputStream content = new ByteArrayOutputStream();

		private ByteArrayOutputStream part;

		@Override
		public void onPartBegin(Part part) {
			this.events.add("begin " + part.name() + " " + part.filename() + " " + part.contentType());
			this.parts.add(part);
			this.part = new ByteArrayOutputStream();
		}

		@Override
		public void onPartContent(ByteBuffer content) {
			byte[] b = new byte[content.remaining()];
			content.get(b);
			this.part.writeBytes(b);
			this.content.writeBytes(b);
		}

		@Override
		public void onPartEnd() {
			this.events.add("content " + this.part.toString(StandardCharsets.UTF_8));
			this.events.add("end");
		}

		@Override
		public void onComplete() {
			this.events.add("complete");
		}

	}

}
