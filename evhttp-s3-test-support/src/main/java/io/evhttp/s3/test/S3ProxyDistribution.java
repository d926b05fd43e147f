package io.evhttp.s3.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;

/**
 * Where the S3Proxy distribution and the fork's launcher are. The build copies S3Proxy's
 * jar-with-dependencies into this module's {@code target/s3proxy} and records the path in
 * {@code s3proxy.properties}; the system property {@value #JAR_PROPERTY} overrides it.
 */
final class S3ProxyDistribution {

	static final String JAR_PROPERTY = "evhttp.s3proxy.jar";

	private static final String DESCRIPTOR = "s3proxy.properties";

	private S3ProxyDistribution() {
	}

	/**
	 * Returns S3Proxy's jar-with-dependencies.
	 * @return the jar
	 * @throws IllegalStateException if it is missing
	 */
	static Path jar() {
		String configured = System.getProperty(JAR_PROPERTY);
		Path jar = Paths.get((configured != null) ? configured : descriptor().getProperty("jar"));
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("S3Proxy distribution not found at " + jar
					+ "; build evhttp-s3-test-support (mvn -pl evhttp-s3-test-support package) or set -D"
					+ JAR_PROPERTY);
		}
		return jar;
	}

	/**
	 * Returns the classpath entry holding {@link ForkedS3Proxy}: this module's classes
	 * directory or jar.
	 * @return the entry
	 */
	static String launcherClasspath() {
		try {
			return Paths.get(ForkedS3Proxy.class.getProtectionDomain().getCodeSource().getLocation().toURI())
				.toString();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Properties descriptor() {
		Properties properties = new Properties();
		try (InputStream in = S3ProxyDistribution.class.getResourceAsStream(DESCRIPTOR)) {
			if (in == null) {
				throw new IllegalStateException(DESCRIPTOR + " missing next to " + S3ProxyDistribution.class);
			}
			properties.load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return properties;
	}

}
