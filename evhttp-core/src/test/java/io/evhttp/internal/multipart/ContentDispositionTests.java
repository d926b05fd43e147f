package io.evhttp.internal.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.evhttp.http.HttpException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Quoted values of {@code Content-Disposition} as the clients that write them send them.
 * Backslashes are doubled in the text blocks as Java requires: {@code \\"} in the source
 * is {@code \"} on the wire.
 */
class ContentDispositionTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					escaped quotes (Spring, Go, curl --form-escape, aiohttp, LWP) | say \\"hi\\".txt        | say "hi".txt
					escaped backslash                                          | a\\\\b.txt               | a\\b.txt
					two escaped backslashes                                    | a\\\\\\\\b.txt           | a\\\\b.txt
					escaped quote and backslash                                | \\"a\\\\b\\"              | "a\\b"
					Windows path sent raw by an old browser                    | C:\\Users\\me\\a.txt     | C:\\Users\\me\\a.txt
					UNC path sent raw                                          | \\\\server\\share\\x.doc  | \\\\server\\share\\x.doc
					raw path ending in an escape-like pair                     | C:\\a\\\\b.txt            | C:\\a\\\\b.txt
					lone backslash beside an escaped quote                     | C:\\dir\\say \\"hi\\".txt | C:\\dir\\say "hi".txt
					browser's percent-encoded quote                            | say %22hi%22.txt         | say %22hi%22.txt
					backslash before an ordinary letter                        | tab\\there               | tab\\there
					""")
	void quotedFilenameIsReadAsQuotedPairsKeepingRawPaths(String client, String wire, String filename) {
		ContentDisposition cd = ContentDisposition.parse("form-data; name=\"f\"; filename=\"" + wire + "\"");
		assertThat(cd.filename()).isEqualTo(filename);
		assertThat(cd.name()).isEqualTo("f");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			browser's name ending in a backslash | form-data; name="a\\"; filename="b\\"       | a\\ | b\\
			escaped backslash ending a name      | form-data; name="a\\\\"; filename="b.txt"  | a\\ | b.txt
			escaped quote before a semicolon     | form-data; name="x\\";y"; filename="b.txt" | x";y | b.txt
			""")
	void quotedValuesEndWhereTheirClientMeantThem(String client, String value, String name, String filename) {
		ContentDisposition cd = ContentDisposition.parse(value);
		assertThat(cd.name()).isEqualTo(name);
		assertThat(cd.filename()).isEqualTo(filename);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			unterminated quote             | form-data; name="a
			unterminated either way        | form-data; name="a\\" b
			junk after the closing quote   | form-data; name="a"b
			no type                        | ; name="a"
			parameter without a value sign | form-data; name
			""")
	void malformedDispositionIsRefusedWith400(String attack, String value) {
		assertThatThrownBy(() -> ContentDisposition.parse(value)).isInstanceOfSatisfying(HttpException.class,
				(ex) -> assertThat(ex.status()).isEqualTo(400));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			as browsers write it              | form-data; name="f"; filename="a.txt"       | form-data | f | a.txt
			names and type in capitals        | FORM-DATA; NAME="f"; FileName="a.txt"       | form-data | f | a.txt
			spaces around names and values    | form-data ;  name = "f" ; filename = a.txt  | form-data | f | a.txt
			a dotless i is not an i           | form-data; name="f"; fılename="a.txt"  | form-data | f |
			an extended filename wins         | form-data; name=f; FILENAME*=UTF-8''%C3%A9  | form-data | f | é
			another type                      | Attachment; name="f"                        | attachment | f |
			the first of a name given twice   | form-data; name=a; NAME=b; filename=x; filename=y | form-data | a | x
			""")
	void typeAndParameterNamesAreReadInAnyCaseOfAscii(String client, String value, String type, String name,
			String filename) {
		ContentDisposition cd = ContentDisposition.parse(value);
		assertThat(cd.type()).isEqualTo(type);
		assertThat(cd.name()).isEqualTo(name);
		assertThat(cd.filename()).isEqualTo(filename);
	}

}
