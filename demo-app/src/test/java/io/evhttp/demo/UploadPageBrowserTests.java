package io.evhttp.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import static org.awaitility.Awaitility.await;

import io.evhttp.server.EvServer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The upload page in headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}): two files go up, their progress bars follow the server's
 * events to 100 %, the result rows show the server's SHA-256, and a file over the cap is
 * refused with a clear message; afterwards tmp-path holds nothing. A screenshot is kept
 * in {@code target/upload-page.png}. {@link S3UploadPageBrowserTests} runs the same with
 * files in S3.
 */
@SpringBootTest(properties = { "evhttp.port=0", "evhttp.tmp-path=${java.io.tmpdir}/evhttp-browser-tests",
		"demo.storage-path=${java.io.tmpdir}/evhttp-browser-tests-store-${random.int}", "demo.max-file-size=8MB",
		"evhttp.events.progress-bytes=256KB" })
class UploadPageBrowserTests {

	private static ChromeDriver driver;

	@TempDir
	static Path userData;

	@Value("${local.evhttp.port}")
	int port;

	@Autowired
	StoredFiles stored;

	@Autowired
	EvServer server;

	@TempDir
	Path files;

	@TempDir
	Path otherUserData;

	@BeforeAll
	static void startBrowser() {
		driver = HeadlessChromium.start(userData);
	}

	@BeforeEach
	void needsBrowser() {
		Assumptions.assumeTrue(driver != null, HeadlessChromium.SKIPPED);
	}

	@AfterEach
	void tmpPathHoldsNothing() {
		if (driver != null) {
			driver.get("about:blank"); // ends the page's event stream, which would hold
										// the shutdown
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			try (Stream<Path> left = Files.list(this.server.tmpPath())) {
				assertThat(left).isEmpty();
			}
		});
	}

	@AfterAll
	static void stopBrowser() {
		if (driver != null) {
			driver.quit();
		}
	}

	@Test
	void twoFilesUploadWithServerProgressAndAnOversizedOneIsRefused() throws Exception {
		byte[] a = EchoContractTests.random(3_000_000, 11);
		byte[] b = EchoContractTests.random(200_000, 12);
		Path fileA = Files.write(this.files.resolve("photo.bin"), a);
		Path fileB = Files.write(this.files.resolve("notes r\u00e9sum\u00e9.txt"), b);
		Path tooBig = Files.write(this.files.resolve("too-big.iso"), new byte[9_000_000]);

		driver.get("http://127.0.0.1:" + this.port + "/");
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "live"));

		driver.findElement(By.id("picker")).sendKeys(fileA + "\n" + fileB);
		wait.until((d) -> d.findElements(By.cssSelector("#uploads tr.done")).size() == 2);
		List<WebElement> done = driver.findElements(By.cssSelector("#uploads tr.done"));
		for (WebElement row : done) {
			assertThat(row.getDomAttribute("data-progress")).isEqualTo("100");
			assertThat(Integer.parseInt(row.getDomAttribute("data-server-events"))).isGreaterThanOrEqualTo(2);
			assertThat(row.findElement(By.cssSelector(".time")).getText()).endsWith(" s");
			assertThat(row.findElement(By.cssSelector(".rate")).getText()).endsWith("/s");
		}
		assertThat(done).extracting((row) -> row.findElement(By.cssSelector(".hash")).getText())
			.containsExactlyInAnyOrder(EchoContractTests.sha256(a), EchoContractTests.sha256(b));
		wait.until((d) -> d.findElement(By.id("stored")).getText().contains("photo.bin"));

		driver.findElement(By.id("picker")).sendKeys(tooBig.toString());
		wait.until((d) -> !d.findElements(By.cssSelector("#uploads tr.failed")).isEmpty());
		String message = driver.findElement(By.cssSelector("#uploads tr.failed .error")).getText();
		// checked against the server's Upload-Limit before a byte is sent
		assertThat(message).contains("Not sent").contains("8.0 MB limit");
		storedNamesInclude("photo.bin");

		Path screenshot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
		Files.createDirectories(Path.of("target"));
		Files.copy(screenshot, Path.of("target", screenshotName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
	}

	@Test
	void eachPageSeesOnlyItsOwnUploadsAndACancelledOneLeavesNothing() throws Exception {
		Path mine = Files.write(this.files.resolve("mine.bin"), EchoContractTests.random(3_000_000, 21));
		Path slow = Files.write(this.files.resolve("mine-slow.bin"), EchoContractTests.random(6_000_000, 23));
		Path theirs = Files.write(this.files.resolve("theirs.bin"), EchoContractTests.random(300_000, 22));
		ChromeDriver other = HeadlessChromium.start(this.otherUserData);
		try {
			String page = "http://127.0.0.1:" + this.port + "/";
			driver.get(page);
			other.get(page);
			WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
			WebDriverWait otherWait = new WebDriverWait(other, Duration.ofSeconds(30));
			wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "live"));
			otherWait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "live"));
			// two people upload at once; each page hears of its own upload only
			driver.findElement(By.id("picker")).sendKeys(mine.toString());
			other.findElement(By.id("picker")).sendKeys(theirs.toString());
			wait.until((d) -> d.findElements(By.cssSelector("#uploads tr.done")).size() == 1);
			otherWait.until((d) -> d.findElements(By.cssSelector("#uploads tr.done")).size() == 1);
			assertThat(seen(driver)).isNotEmpty().containsOnly("mine.bin");
			assertThat(seen(other)).isNotEmpty().containsOnly("theirs.bin");

			// an upload held back by a slow network, cancelled before it ends
			driver.setNetworkConditions(new ChromiumNetworkConditions().setUploadThroughput(64 * 1024)
				.setDownloadThroughput(10 * 1024 * 1024)
				.setLatency(Duration.ofMillis(200)));
			driver.findElement(By.id("picker")).sendKeys(slow.toString());
			wait.until((d) -> d.findElements(By.cssSelector("#uploads tbody tr")).size() == 2);
			driver.findElement(By.cssSelector("#uploads tbody tr:not(.done) button.cancel")).click();
			wait.until((d) -> !d.findElements(By.cssSelector("#uploads tr.cancelled")).isEmpty());
			assertThat(driver.findElements(By.cssSelector("#uploads tr.done"))).hasSize(1);
			storedNamesInclude("theirs.bin");
			assertThat(this.stored.list()).extracting(StoredFiles.Entry::name).doesNotContain("mine-slow.bin");
			assertThat(seen(other)).containsOnly("theirs.bin");
		}
		finally {
			driver.deleteNetworkConditions();
			other.quit();
		}
	}

	@SuppressWarnings("unchecked")
	private static List<String> seen(ChromeDriver browser) {
		return (List<String>) browser.executeScript("return window.evhttpProgressSeen;");
	}

	/** Checks where the store keeps files, beyond the page's list. */
	void storedNamesInclude(String name) throws Exception {
		assertThat(this.stored.list()).extracting(StoredFiles.Entry::name).contains(name);
	}

	String screenshotName() {
		return "upload-page.png";
	}

}
