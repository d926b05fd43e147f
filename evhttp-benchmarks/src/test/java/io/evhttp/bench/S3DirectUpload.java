package io.evhttp.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The reference for uploads into S3: the AWS SDK's own multipart upload
 * ({@code S3AsyncClient} with {@code multipartEnabled}) of a file already on local disk,
 * with nothing in between. evhttp's S3 store, which receives the same bytes over HTTP and
 * uploads them while they arrive, is measured against it.
 *
 * <pre>
 * S3DirectUpload ENDPOINT BUCKET SIZE_BYTES REPEAT PART_SIZE_BYTES
 * S3DirectUpload --many ENDPOINT BUCKET SIZE_BYTES CONNECTIONS SECONDS
 * </pre>
 *
 * The first prints one line per upload and the median, in MB/s (10^6 bytes); the second
 * keeps CONNECTIONS uploads of SIZE_BYTES each in flight for SECONDS (as the benchmark's
 * {@code many} scenario does over HTTP) and prints the objects stored per second.
 */
public final class S3DirectUpload {

	private S3DirectUpload() {
	}

	public static void main(String[] args) throws Exception {
		if (args[0].equals("--many")) {
			many(URI.create(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
					Integer.parseInt(args[5]));
			return;
		}
		URI endpoint = URI.create(args[0]);
		String bucket = args[1];
		long size = Long.parseLong(args[2]);
		int repeat = Integer.parseInt(args[3]);
		long partSize = Long.parseLong(args[4]);
		Path file = Files.createTempFile("s3-direct-", ".bin");
		try (S3AsyncClient s3 = client(endpoint, partSize)) {
			write(file, size);
			List<Double> rates = new ArrayList<>();
			for (int i = 0; i < repeat; i++) {
				String key = "direct/" + i;
				long start = System.nanoTime();
				s3.putObject((r) -> r.bucket(bucket).key(key), AsyncRequestBody.fromFile(file)).join();
				double seconds = (System.nanoTime() - start) / 1e9;
				double rate = size / seconds / 1e6;
				rates.add(rate);
				System.out.printf("upload %d: %.1f MB/s (%.2f s)%n", i + 1, rate, seconds);
				s3.deleteObject((r) -> r.bucket(bucket).key(key)).join();
			}
			Collections.sort(rates);
			System.out.printf("median: %.1f MB/s%n", rates.get(rates.size() / 2));
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	private static void many(URI endpoint, String bucket, int size, int connections, int seconds) throws Exception {
		byte[] bytes = new byte[size];
		new Random(2).nextBytes(bytes);
		AtomicLong done = new AtomicLong();
		long end = System.nanoTime() + seconds * 1_000_000_000L;
		try (S3AsyncClient s3 = client(endpoint, 8L * 1024 * 1024)) {
			List<Thread> workers = new ArrayList<>();
			for (int c = 0; c < connections; c++) {
				int worker = c;
				Thread t = new Thread(() -> {
					for (int i = 0; System.nanoTime() < end; i++) {
						String key = "many/" + worker + "-" + i;
						s3.putObject((r) -> r.bucket(bucket).key(key), AsyncRequestBody.fromBytes(bytes)).join();
						s3.deleteObject((r) -> r.bucket(bucket).key(key)).join();
						done.incrementAndGet();
					}
				});
				t.start();
				workers.add(t);
			}
			for (Thread t : workers) {
				t.join();
			}
		}
		System.out.printf("many: %d conns, %d s: %.1f objects/s, %.1f MB/s%n", connections, seconds,
				done.get() / (double) seconds, done.get() * (double) size / seconds / 1e6);
	}

	private static S3AsyncClient client(URI endpoint, long partSize) {
		return S3AsyncClient.builder()
			.endpointOverride(endpoint)
			.forcePathStyle(true)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider
				.create(AwsBasicCredentials.create(System.getenv().getOrDefault("AWS_ACCESS_KEY_ID", "bench"),
						System.getenv().getOrDefault("AWS_SECRET_ACCESS_KEY", "bench"))))
			// S3Proxy answers 501 to the streaming checksum trailer the async client
			// sends
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			// nor does it know the object size the multipart client announces at
			// completion
			.overrideConfiguration((o) -> o.addExecutionInterceptor(new ExecutionInterceptor() {
				@Override
				public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
						ExecutionAttributes attributes) {
					return context.httpRequest().toBuilder().removeHeader("x-amz-mp-object-size").build();
				}
			}))
			.multipartEnabled(true)
			.multipartConfiguration((m) -> m.minimumPartSizeInBytes(partSize).thresholdInBytes(partSize))
			.build();
	}

	private static void write(Path file, long size) throws IOException {
		byte[] block = new byte[1 << 20];
		new Random(1).nextBytes(block);
		try (OutputStream out = Files.newOutputStream(file)) {
			for (long left = size; left > 0; left -= block.length) {
				out.write(block, 0, (int) Math.min(block.length, left));
			}
		}
	}

}
