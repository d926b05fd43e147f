package io.evhttp.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokensTests {

	@Test
	void aKnownWordInAnyCaseOfAsciiIsThatWordItself() {
		String known = "filename";
		assertThat(Tokens.lowerCase("; FileName=", 2, 10, known)).isSameAs(known);
		assertThat(Tokens.lowerCase("filename", 0, 8, known)).isSameAs(known);
	}

	@Test
	void anythingElseIsLowerCasedAsItIs() {
		assertThat(Tokens.lowerCase("F\u0131LENAME", 0, 8, "filename")).isEqualTo("f\u0131lename");
		assertThat(Tokens.lowerCase("Filenames", 0, 9, "filename")).isEqualTo("filenames");
		assertThat(Tokens.lowerCase("NAME", 0, 4, "filename")).isEqualTo("name");
	}

	@Test
	void rangesAreTokensTrimmedAndSearched() {
		assertThat(Tokens.isToken("a/b", 0, 1)).isTrue();
		assertThat(Tokens.isToken("a/b", 1, 2)).isFalse();
		assertThat(Tokens.isToken("a/b", 1, 1)).isFalse();
		assertThat(Tokens.trimStart(" \t x ", 0, 5)).isEqualTo(3);
		assertThat(Tokens.trimEnd(" \t x ", 3, 5)).isEqualTo(4);
		assertThat(Tokens.contains("a\\b", 0, 3, '\\')).isTrue();
		assertThat(Tokens.contains("a\\b", 2, 3, '\\')).isFalse();
	}

}
