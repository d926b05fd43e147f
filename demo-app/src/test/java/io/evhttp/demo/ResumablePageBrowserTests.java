package io.evhttp.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.evhttp.server.EvServer;
import io.evhttp.test.Wire;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The page's resumable section in headless Chromium: tus-js-client, served from the
 * demo's jar, sends a file in 1 MiB requests to {@code /resumable/}; paused, it is
 * resumed with the button, or after a reload by choosing the file again, and goes on at
 * the same URL from the offset the server stored. The bytes fetched back have the file's
 * SHA-256, and once the upload is deleted DIR holds nothing. A screenshot is kept in
 * {@code target/resumable-page.png}. {@link S3ResumablePageBrowserTests} runs the same in
 * S3.
 */
@SpringBootTest(
		properties = { "evhttp.port=0", "evhttp.tmp-path=${java.io.tmpdir}/evhttp-resumable-browser-${random.uuid}" })
class ResumablePageBrowserTests {

	private static ChromeDriver driver;

	@TempDir
	static Path userData;

	@Value("${local.evhttp.port}")
	int port;

	@Autowired
	EvServer server;

	@TempDir
	Path files;

	@BeforeAll
	static void startBrowser() {
		driver = HeadlessChromium.start(userData);
	}

	@BeforeEach
	void needsBrowser() {
		Assumptions.assumeTrue(driver != null, HeadlessChromium.SKIPPED);
	}

	@AfterEach
	void dirHoldsNothingOfADeletedUpload() {
		if (driver != null) {
			driver.get("about:blank"); // ends the page's event stream, which would hold
										// the shutdown
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(ResumableContractTests.filesIn(this.server.tmpPath())).isZero());
	}

	@AfterAll
	static void stopBrowser() {
		if (driver != null) {
			driver.quit();
		}
	}

	@Test
	void pausedUploadResumesWithTheButtonAtTheSameUrl() throws Exception {
		byte[] bytes = ResumableContractTests.random(64 * ResumableContractTests.MIB + 5, 21);
		Path file = Files.write(this.files.resolve("video.bin"), bytes);
		open();
		driver.findElement(By.id("resumable-picker")).sendKeys(file.toString());
		String url = pauseMidway();
		row().findElement(By.cssSelector("button.toggle")).click();
		finished(url, bytes);
		screenshot();
	}

	@Test
	void uploadPausedBeforeAReloadGoesOnWhenTheFileIsChosenAgain() throws Exception {
		byte[] bytes = ResumableContractTests.random(64 * ResumableContractTests.MIB + 9, 22);
		Path file = Files.write(this.files.resolve("backup.tar"), bytes);
		open();
		driver.findElement(By.id("resumable-picker")).sendKeys(file.toString());
		String url = pauseMidway();
		driver.navigate().refresh();
		wait(30).until((d) -> d.findElement(By.id("unfinished")).getText().contains("backup.tar"));
		driver.findElement(By.id("resumable-picker")).sendKeys(file.toString());
		finished(url, bytes);
		assertThat(row().getDomAttribute("data-resumed")).isEqualTo("true");
		wait(10).until((d) -> !d.findElement(By.id("unfinished")).getText().contains("backup.tar"));
	}

	private void open() {
		driver.get("http://127.0.0.1:" + this.port + "/");
		wait(30).until((d) -> d.findElements(By.id("resumable-picker")).size() == 1);
	}

	/** Pauses the upload once the server has part of it; answers its URL. */
	private String pauseMidway() throws Exception {
		wait(60).until((d) -> row().getDomAttribute("data-url") != null);
		row().findElement(By.cssSelector("button.toggle")).click();
		wait(30).until((d) -> "paused".equals(row().getDomAttribute("data-state")));
		String url = row().getDomAttribute("data-url");
		Wire.Reply head = ResumableContractTests.head(this.port, URI.create(url).getPath());
		long offset = Long.parseLong(head.header("Upload-Offset"));
		assertThat(offset).isLessThan(Long.parseLong(head.header("Upload-Length")));
		return url;
	}

	/** Completes at {@code url}, with exactly the file's bytes; then deletes it. */
	private void finished(String url, byte[] bytes) throws Exception {
		wait(120).until((d) -> "done".equals(row().getDomAttribute("data-state")));
		assertThat(row().getDomAttribute("data-url")).isEqualTo(url);
		assertThat(row().getDomAttribute("data-progress")).isEqualTo("100");
		String path = URI.create(url).getPath();
		ResumableContractTests.assertFetched(this.port, path, bytes);
		ResumableContractTests.delete(this.port, path);
	}

	private static WebElement row() {
		return driver.findElement(By.cssSelector("#resumable tbody tr"));
	}

	private static WebDriverWait wait(int seconds) {
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(seconds));
		wait.pollingEvery(Duration.ofMillis(10)); // a local upload is quick: pause it in
													// time
		return wait;
	}

	private void screenshot() throws Exception {
		Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
		Files.createDirectories(Path.of("target"));
		Files.copy(shot, Path.of("target", screenshotName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
	}

	String screenshotName() {
		return "resumable-page.png";
	}

}
