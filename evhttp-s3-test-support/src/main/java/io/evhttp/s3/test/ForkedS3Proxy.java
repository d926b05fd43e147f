package io.evhttp.s3.test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;

/**
 * Main class of the forked JVM: runs S3Proxy's own {@code main} and exits when its
 * standard input ends, which happens when the JVM that started it dies, however it dies.
 * Without this a test JVM killed by a timeout would leave S3Proxy running, holding its
 * port and memory.
 * <p>
 * Runs in the fork, on S3Proxy's classpath plus this class; uses nothing but the JDK.
 */
final class ForkedS3Proxy {

	static final String S3PROXY_MAIN = "org.gaul.s3proxy.Main";

	private ForkedS3Proxy() {
	}

	public static void main(String[] args) throws Exception {
		Thread watcher = new Thread(ForkedS3Proxy::exitWhenParentGoes, "parent-watcher");
		watcher.setDaemon(true);
		watcher.start();
		Method main = Class.forName(S3PROXY_MAIN).getMethod("main", String[].class);
		main.invoke(null, (Object) args);
	}

	private static void exitWhenParentGoes() {
		InputStream in = System.in;
		byte[] buffer = new byte[256];
		try {
			while (in.read(buffer) != -1) {
				// the parent never writes; anything read is ignored
			}
		}
		catch (IOException ex) {
			// the pipe broke: the parent is gone just the same
		}
		System.exit(0);
	}

}
