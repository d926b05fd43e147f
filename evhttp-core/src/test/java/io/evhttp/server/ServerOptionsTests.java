package io.evhttp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.evhttp.form.FormLimits;
import io.evhttp.http.HeadLimits;
import io.evhttp.multipart.MultipartLimits;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

class ServerOptionsTests {

	private final ServerOptions.Builder builder = ServerOptions.builder();

	@Test
	void defaultsAreTheDocumentedOnes() {
		ServerOptions options = ServerOptions.defaults();
		assertThat(options.network().eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
		assertThat(options.network().readBufferBytes()).isEqualTo(ServerOptions.Network.AUTO_READ_BUFFER);
		assertThat(options.network().readBufferSize()).isEqualTo(ServerOptions.Network
			.autoReadBufferBytes(options.network().eventLoops(), Runtime.getRuntime().maxMemory()));
		assertThat(options.network().maxConnections()).isZero();
		assertThat(options.timeouts().timeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(options.timeouts().bodyRateGrace()).isNull();
		assertThat(options.limits().maxFileBytes()).isEqualTo(-1);
		assertThat(options.limits().head()).isEqualTo(HeadLimits.DEFAULTS);
		assertThat(options.uploads().diskWriteExecutor()).isNull();
		assertThat(options.proxies().trustedProxies()).containsExactly("127.0.0.0/8", "::1/128");
		assertThat(ServerOptions.builder().build()).isEqualTo(options);
	}

	@Test
	void theAutomaticReadBufferIsFourMibUnlessTheLoopsWouldTakeOverAnEighthOfTheHeap() {
		long mib = 1024 * 1024;
		assertThat(ServerOptions.Network.autoReadBufferBytes(2, 64 * mib)).isEqualTo(4 * mib);
		assertThat(ServerOptions.Network.autoReadBufferBytes(8, 4096 * mib)).isEqualTo(4 * mib);
		assertThat(ServerOptions.Network.autoReadBufferBytes(2, Long.MAX_VALUE)).isEqualTo(4 * mib);
		// 64 loops under a 1 GiB heap: 2 MiB each, 128 MiB in all
		assertThat(ServerOptions.Network.autoReadBufferBytes(64, 1024 * mib)).isEqualTo(2 * mib);
		// an eighth of 100 MiB over 6 loops is 2,133 KiB: whole 64 KiB below it
		assertThat(ServerOptions.Network.autoReadBufferBytes(6, 100 * mib)).isEqualTo(2112 * 1024);
		// never below 1 MiB, the size before this choice
		assertThat(ServerOptions.Network.autoReadBufferBytes(64, 256 * mib)).isEqualTo(mib);
		assertThat(ServerOptions.Network.defaults().withReadBufferBytes(8192).readBufferSize()).isEqualTo(8192);
	}

	@Test
	void bodyRateGraceFollowsTheTimeoutUntilSet() {
		ServerOptions.Timeouts timeouts = ServerOptions.Timeouts.defaults().withTimeout(Duration.ofSeconds(5));
		assertThat(timeouts.bodyRateGraceOrTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(timeouts.withBodyRateGrace(Duration.ofSeconds(1)).bodyRateGraceOrTimeout())
			.isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void builderChangesOnlyWhatItIsTold() {
		ServerOptions options = this.builder.limits((l) -> l.withMaxFileBytes(100))
			.network((n) -> n.withEventLoops(1))
			.build();
		assertThat(options.limits().maxFileBytes()).isEqualTo(100);
		assertThat(options.limits().maxRequestBytes()).isEqualTo(-1);
		assertThat(options.network().eventLoops()).isEqualTo(1);
		assertThat(options.toBuilder().build()).isEqualTo(options);
	}

	@Test
	void blankRealIpHeaderMeansNone() {
		assertThat(ServerOptions.Proxies.defaults().withRealIpHeader(" ").realIpHeader()).isNull();
	}

	@Test
	void nonsenseIsRefusedNamingTheSetting() {
		refused(() -> this.builder.limits((l) -> l.withMaxFileBytes(-5)),
				"limits.maxFileBytes must be -1 (none) or at least 0: -5");
		refused(() -> this.builder.limits((l) -> l.withMaxRequestBytes(-2)), "limits.maxRequestBytes");
		refused(() -> this.builder.uploads((u) -> u.withDiskBudgetBytes(-7)), "uploads.diskBudgetBytes");
		refused(() -> this.builder.network((n) -> n.withEventLoops(0)), "network.eventLoops must be positive: 0");
		refused(() -> this.builder.network((n) -> n.withReadBufferBytes(1024)),
				"network.readBufferBytes must be at least 4096: 1024");
		refused(() -> this.builder.network((n) -> n.withMaxConnections(-1)), "network.maxConnections");
		refused(() -> this.builder.network((n) -> n.withMaxResponseBufferBytes(0)), "network.maxResponseBufferBytes");
		refused(() -> this.builder.timeouts((t) -> t.withTimeout(Duration.ofSeconds(-1))), "timeouts.timeout");
		refused(() -> this.builder.timeouts((t) -> t.withKeepAliveTimeout(null)), "timeouts.keepAliveTimeout");
		refused(() -> this.builder.timeouts((t) -> t.withMinBodyRate(-1)), "timeouts.minBodyRate");
		refused(() -> this.builder.timeouts((t) -> t.withBodyRateGrace(Duration.ofMillis(-1))),
				"timeouts.bodyRateGrace");
		refused(() -> this.builder.timeouts((t) -> t.withMinResponseRate(-1)), "timeouts.minResponseRate");
		refused(() -> this.builder.proxies((p) -> p.withTrustedProxies(List.of("10.0.0.0/33"))),
				"proxies.trustedProxies must be CIDRs: not a CIDR: 10.0.0.0/33");
		refused(() -> this.builder.proxies((p) -> p.withTrustedProxies(List.of("example.com"))),
				"proxies.trustedProxies");
	}

	@Test
	void limitRecordsNameTheLimitTheyRefuse() {
		refused(() -> HeadLimits.DEFAULTS.withMaxHeaderBytes(8), "maxHeaderBytes must be at least 16: 8");
		refused(() -> FormLimits.BODY_DEFAULTS.withMaxFields(0), "maxFields must be positive: 0");
		refused(() -> MultipartLimits.DEFAULTS.withMaxParts(0), "maxParts must be at least 1: 0");
		refused(() -> MultipartLimits.DEFAULTS.withMaxPreambleBytes(-1), "maxPreambleBytes must be at least 0: -1");
	}

	private static void refused(ThrowingSupplier<?> setting, String message) {
		assertThatIllegalArgumentException().isThrownBy(setting::get).withMessageContaining(message);
	}

}
