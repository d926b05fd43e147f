package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which context a server name gets: exact names before wildcards of one label, the
 * default for the rest; and which names are refused.
 */
class TlsOptionsTests {

	private final SSLContext fallback = context();

	private final SSLContext exact = context();

	private final SSLContext wildcard = context();

	private final TlsOptions options = TlsOptions.of(this.fallback)
		.withServerName("*.Example.com", this.wildcard)
		.withServerName("API.example.com", this.exact);

	private static SSLContext context() {
		try {
			return SSLContext.getInstance("TLS");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void anExactNameWinsOverAWildcard() {
		assertThat(this.options.contextFor("api.example.com")).isSameAs(this.exact);
		assertThat(this.options.contextFor("www.example.com")).isSameAs(this.wildcard);
	}

	@Test
	void aWildcardStandsForOneLabelOnly() {
		assertThat(this.options.contextFor("example.com")).isSameAs(this.fallback);
		assertThat(this.options.contextFor("a.b.example.com")).isSameAs(this.fallback);
	}

	@Test
	void noNameOrAnotherNameGetsTheDefault() {
		assertThat(this.options.contextFor(null)).isSameAs(this.fallback);
		assertThat(this.options.contextFor("example.org")).isSameAs(this.fallback);
		assertThat(this.options.contextFor("localhost")).isSameAs(this.fallback);
	}

	@Test
	void serverNamesSurviveTheOtherSettings() {
		TlsOptions more = this.options.withProtocols("TLSv1.3")
			.withCiphers("TLS_AES_128_GCM_SHA256")
			.withClientAuth(TlsOptions.ClientAuth.WANT);
		assertThat(more.hasServerNames()).isTrue();
		assertThat(more.contextFor("api.example.com")).isSameAs(this.exact);
		assertThat(TlsOptions.of(this.fallback).hasServerNames()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "*", "*.", "*.*.example.com", "a.*.example.com", "api*.example.com",
			".example.com", "example.com." })
	void namesThatAreNeitherHostNamesNorWildcardsAreRefused(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> this.options.withServerName(name, this.exact))
			.withMessageContaining("server name");
	}

}
