package io.evhttp.spring.autoconfigure;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Explains evhttp startup failures: a port in use, an unusable {@code tmp-path}, a store
 * that is misconfigured or out of reach, a handler declared wrongly, an unusable SSL
 * bundle.
 */
final class EvHttpFailureAnalyzer implements FailureAnalyzer {

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof EvHttpPortInUseException ex) {
				return new FailureAnalysis("evhttp could not start: port " + ex.port() + " is already in use.",
						"Stop the process that holds port " + ex.port() + ", or set evhttp.port (or the port of "
								+ "your @EvUploadHandler) to a free port; 0 picks one.",
						ex);
			}
			if (t instanceof EvHttpTmpPathException ex) {
				return new FailureAnalysis(
						"evhttp could not start: evhttp.tmp-path " + ex.path() + " cannot be created or written ("
								+ ex.getCause().getMessage() + ").",
						"Point evhttp.tmp-path at a directory this process may create and write, on a file "
								+ "system with room for the uploads you expect.",
						ex);
			}
			if (t instanceof EvHttpHandlerException ex) {
				return new FailureAnalysis("evhttp could not start: " + ex.getMessage(), ex.action(), ex);
			}
			if (t instanceof EvHttpSslException ex) {
				return new FailureAnalysis("evhttp could not start: " + ex.getMessage(),
						"Configure the bundle as spring.ssl.bundle.pem." + ex.bundle()
								+ ".keystore.certificate and .private-key (or spring.ssl.bundle.jks." + ex.bundle()
								+ ".keystore.location and .password), or point " + ex.property() + " at one that is.",
						ex);
			}
			if (t instanceof EvHttpStorageException ex) {
				return new FailureAnalysis("evhttp could not start: " + ex.getMessage(), ex.action(), ex);
			}
		}
		return null;
	}

}
