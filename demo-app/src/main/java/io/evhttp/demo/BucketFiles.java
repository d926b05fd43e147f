package io.evhttp.demo;

import io.evhttp.server.Response;
import io.evhttp.server.UploadedFile;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Files as objects under a prefix of the upload bucket, so that every node behind a load
 * balancer sees the same ones. A received file, already streamed into the bucket at an
 * unguessable key, is kept by a copy S3 makes itself ({@link UploadedFile#keepAs}); a
 * download streams the object through, at the pace the client reads. A name is checked
 * before it is taken, so two uploads of one name at the same instant may both win, the
 * later copy replacing the earlier: good enough for a demo.
 */
final class BucketFiles implements StoredFiles {

	private static final int CHUNK = 64 * 1024;

	private final S3Client client;

	private final String bucket;

	private final String prefix;

	BucketFiles(S3Client client, String bucket, String prefix) {
		this.client = client;
		this.bucket = bucket;
		this.prefix = prefix;
	}

	@Override
	public void keep(UploadedFile file, String name) throws IOException {
		if (exists(name)) {
			throw new FileAlreadyExistsException(name);
		}
		file.keepAs(this.prefix + name);
	}

	@Override
	public List<Entry> list() {
		return this.client.listObjectsV2Paginator((r) -> r.bucket(this.bucket).prefix(this.prefix))
			.contents()
			.stream()
			.map((o) -> new Entry(o.key().substring(this.prefix.length()), o.size(), o.lastModified()))
			.filter((e) -> !e.name().isEmpty() && e.name().indexOf('/') < 0)
			.sorted(Comparator.comparing(Entry::name).reversed())
			.toList();
	}

	@Override
	public boolean exists(String name) throws IOException {
		try {
			this.client.headObject((r) -> r.bucket(this.bucket).key(this.prefix + name));
			return true;
		}
		catch (NoSuchKeyException ex) {
			return false;
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return false;
			}
			throw new IOException("S3 answered " + ex.statusCode(), ex);
		}
	}

	@Override
	public void send(String name, Response response) throws IOException {
		try (ResponseInputStream<GetObjectResponse> in = this.client
			.getObject((r) -> r.bucket(this.bucket).key(this.prefix + name))) {
			response.header("Content-Length", Long.toString(in.response().contentLength()));
			byte[] chunk = new byte[CHUNK];
			for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
				// a write from this thread is copied: the chunk may be reused at once
				if (!response.write(ByteBuffer.wrap(chunk, 0, n))) {
					awaitWritable(response);
				}
				if (response.isClosed()) {
					in.abort(); // the client left: read no more of the object
					return;
				}
			}
			response.end();
		}
	}

	/** Waits until the client has taken the queued bytes, or has gone. */
	private static void awaitWritable(Response response) throws IOException {
		CountDownLatch writable = new CountDownLatch(1);
		response.onWritable(writable::countDown);
		try {
			while (!writable.await(1, TimeUnit.SECONDS)) {
				if (response.isClosed()) {
					return;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("download interrupted");
		}
	}

}
