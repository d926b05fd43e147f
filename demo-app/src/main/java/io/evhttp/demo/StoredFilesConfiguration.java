package io.evhttp.demo;

import io.evhttp.s3.S3UploadStore;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where the page's file store keeps files: beside the uploads. On local disk they are
 * moved out of tmp-path into {@code demo.storage-path}; with S3 they stay in the upload
 * bucket, copied by S3 under {@code demo.files-prefix}, so that every node sees them.
 */
@Configuration(proxyBeanMethods = false)
class StoredFilesConfiguration {

	@Bean
	@ConditionalOnProperty(name = "evhttp.storage.type", havingValue = "local", matchIfMissing = true)
	StoredFiles diskFiles(@Value("${demo.storage-path:${java.io.tmpdir}/evhttp-demo-files}") Path folder)
			throws IOException {
		return new DiskFiles(folder);
	}

	@Bean
	@ConditionalOnProperty(name = "evhttp.storage.type", havingValue = "s3")
	StoredFiles bucketFiles(@Qualifier("evHttpUploadStore") S3UploadStore uploads,
			@Value("${demo.files-prefix:files/}") String prefix) {
		return new BucketFiles(uploads.client(), uploads.bucket(), prefix);
	}

}
