package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyTrustTests {

	private final ProxyTrust trust = ProxyTrust.of(List.of("127.0.0.0/8", "10.1.0.0/16", "::1"));

	@Test
	void trustsAddressesInsideTheBlocks() throws Exception {
		assertThat(this.trust.trusts(InetAddress.getByName("127.9.9.9"))).isTrue();
		assertThat(this.trust.trusts(InetAddress.getByName("10.1.200.3"))).isTrue();
		assertThat(this.trust.trusts(InetAddress.getByName("10.2.0.1"))).isFalse();
		assertThat(this.trust.trusts(InetAddress.getByName("::1"))).isTrue();
		assertThat(this.trust.trusts(InetAddress.getByName("::2"))).isFalse();
	}

	@Test
	void takesTheRightmostUntrustedHopOfAForwardedList() throws Exception {
		InetAddress proxy = InetAddress.getByName("127.0.0.1");
		assertThat(this.trust.clientIp(proxy, "198.51.100.7, 203.0.113.5, 10.1.0.9")).isEqualTo("203.0.113.5");
		assertThat(this.trust.clientIp(proxy, "2001:db8::1")).isEqualTo("2001:db8:0:0:0:0:0:1");
	}

	@Test
	void ignoresTheHeaderFromUntrustedPeersAndNonAddresses() throws Exception {
		assertThat(this.trust.clientIp(InetAddress.getByName("192.0.2.1"), "203.0.113.5")).isEqualTo("192.0.2.1");
		InetAddress proxy = InetAddress.getByName("127.0.0.1");
		assertThat(this.trust.clientIp(proxy, "localhost")).isEqualTo("127.0.0.1");
		assertThat(this.trust.clientIp(proxy, "1.2.3")).isEqualTo("127.0.0.1");
		assertThat(this.trust.clientIp(proxy, "")).isEqualTo("127.0.0.1");
	}

	@Test
	void refusesMalformedCidrsNamingThem() {
		assertThatThrownBy(() -> ProxyTrust.of(List.of("10.0.0.0/33"))).hasMessageContaining("10.0.0.0/33");
		assertThatThrownBy(() -> ProxyTrust.of(List.of("example.com"))).hasMessageContaining("example.com");
	}

}
