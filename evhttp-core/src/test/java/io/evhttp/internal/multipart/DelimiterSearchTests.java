package io.evhttp.internal.multipart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DelimiterSearchTests {

	@Test
	void findsTheFirstDelimiterAtEveryOffsetAfterBytesAbsentFromIt() {
		// 'Z' ends the boundary and appears nowhere else in it: the case where a
		// full-length
		// shift must not be read as "absent"
		String boundary = "abcZ";
		DelimiterSearch search = new DelimiterSearch(boundary);
		byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
		for (int at = 0; at < 200; at++) {
			byte[] data = new byte[at + delimiter.length + 50];
			Arrays.fill(data, (byte) 'x');
			System.arraycopy(delimiter, 0, data, at, delimiter.length);
			for (ByteBuffer buf : buffersOf(data)) {
				assertThat(search.find(buf, 0, data.length)).as("delimiter at %d", at).isEqualTo(at);
			}
		}
	}

	@Test
	void agreesWithANaiveSearchOnRandomInput() {
		SplittableRandom random = new SplittableRandom(20261124);
		for (int round = 0; round < 3000; round++) {
			// few distinct bytes make near-matches, many make long shifts
			int alphabet = (round % 3 == 0) ? 4 : (round % 3 == 1) ? 40 : 256;
			StringBuilder boundary = new StringBuilder();
			int length = 1 + random.nextInt(70);
			for (int i = 0; i < length; i++) {
				boundary.append((char) ('0' + random.nextInt(Math.min(alphabet, 70))));
			}
			DelimiterSearch search = new DelimiterSearch(boundary.toString());
			byte[] delimiter = search.pattern();
			byte[] data = new byte[random.nextInt(2000)];
			for (int i = 0; i < data.length; i++) {
				data[i] = (alphabet == 256) ? (byte) random.nextInt(256) : (byte) ('0' + random.nextInt(alphabet));
			}
			for (int k = random.nextInt(3); k > 0 && data.length > delimiter.length; k--) {
				System.arraycopy(delimiter, 0, data, random.nextInt(data.length - delimiter.length + 1),
						random.nextInt(delimiter.length) + 1);
			}
			int from = data.length == 0 ? 0 : random.nextInt(data.length);
			int to = from + random.nextInt(data.length - from + 1);
			int expected = naiveFind(data, delimiter, from, to);
			for (ByteBuffer buf : buffersOf(data)) {
				assertThat(search.find(buf, from, to)).as("round %d", round).isEqualTo(expected);
			}
		}
	}

	@Test
	void agreesWithANaiveSearchOnDataMadeOfPiecesOfTheDelimiter() {
		// pieces of the delimiter put its own pairs (and the pairs across two pieces)
		// everywhere, so windows are rarely ruled out by their last two bytes and the
		// probe, the shifts after it and the two-window step all get exercised
		SplittableRandom random = new SplittableRandom(20261202);
		for (int round = 0; round < 500; round++) {
			StringBuilder boundary = new StringBuilder();
			int length = 1 + random.nextInt(70);
			for (int i = 0; i < length; i++) {
				boundary.append((char) ('!' + random.nextInt(94)));
			}
			DelimiterSearch search = new DelimiterSearch(boundary.toString());
			byte[] delimiter = search.pattern();
			byte[] data = new byte[random.nextInt(20_000)];
			int at = 0;
			while (at < data.length) {
				int start = random.nextInt(delimiter.length);
				int n = Math.min(data.length - at, 1 + random.nextInt(delimiter.length - start));
				if (random.nextInt(8) == 0) {
					for (int i = 0; i < n; i++) {
						data[at + i] = (byte) random.nextInt(256);
					}
				}
				else {
					System.arraycopy(delimiter, start, data, at, n);
				}
				at += n;
			}
			int from = data.length == 0 ? 0 : random.nextInt(data.length / 4 + 1);
			int to = from + random.nextInt(data.length - from + 1);
			int expected = naiveFind(data, delimiter, from, to);
			for (ByteBuffer buf : buffersOf(data)) {
				assertThat(search.find(buf, from, to)).as("round %d", round).isEqualTo(expected);
			}
		}
	}

	private static ByteBuffer[] buffersOf(byte[] data) {
		ByteBuffer direct = ByteBuffer.allocateDirect(data.length);
		direct.put(data).flip();
		return new ByteBuffer[] { ByteBuffer.wrap(data), direct };
	}

	private static int naiveFind(byte[] data, byte[] delimiter, int from, int to) {
		outer: for (int i = from; i + delimiter.length <= to; i++) {
			for (int j = 0; j < delimiter.length; j++) {
				if (data[i + j] != delimiter[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
