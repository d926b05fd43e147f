/**
 * Upload store that writes request bodies to S3 or an S3-compatible service through the
 * AWS SDK for Java 2.x, one multipart upload per stored file.
 * <p>
 * Kept in its own module so that evhttp-core stays free of dependencies. The store itself
 * is still to come; for now the module holds the tests that pin down the S3 behaviour it
 * will rely on (multipart limits, aborts, conditional writes), run against a real
 * S3-compatible server from {@code evhttp-s3-test-support}.
 */
package io.evhttp.s3;
