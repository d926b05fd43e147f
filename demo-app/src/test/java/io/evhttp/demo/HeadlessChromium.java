package io.evhttp.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless {@code chromium} through {@code chromium-driver}, for the page's
 * browser tests: absent, they are skipped, except in CI, where that is an error.
 */
final class HeadlessChromium {

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final String SKIPPED = "Skipped: no headless browser. Install it with: sudo apt-get install chromium chromium-driver";

	private HeadlessChromium() {
	}

	/**
	 * A new browser with its profile in {@code userData}, or {@code null} when none is
	 * installed.
	 */
	static ChromeDriver start(Path userData) {
		boolean installed = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
		if (!installed && System.getenv("CI") != null) {
			throw new IllegalStateException("CI must run the browser test: install chromium and chromium-driver");
		}
		if (!installed) {
			return null;
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--window-size=1280,900", "--user-data-dir=" + userData);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		return new ChromeDriver(service, options);
	}

}
