/**
 * A real S3-compatible server for tests: S3Proxy run in a forked JVM on a loopback port,
 * and a JUnit extension that runs it for a test class.
 */
package io.evhttp.s3.test;
