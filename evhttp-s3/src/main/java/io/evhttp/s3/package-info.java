/**
 * An upload store that streams files into S3 or an S3-compatible service through the AWS
 * SDK for Java 2.x while they arrive: {@link io.evhttp.s3.S3UploadStore}.
 * <p>
 * Kept in its own module so that evhttp-core stays free of dependencies.
 */
package io.evhttp.s3;
