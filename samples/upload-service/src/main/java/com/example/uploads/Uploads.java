package com.example.uploads;

import io.evhttp.http.HttpException;
import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.UploadListener;
import io.evhttp.server.UploadedFile;
import io.evhttp.spring.EvUploadHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /uploads}: keeps every file of a multipart body in {@code uploads.dir} and
 * answers what was kept as JSON. Other methods are refused before the body is read.
 */
@EvUploadHandler(path = "/uploads", maxFileSize = "${uploads.max-file-size:10MB}")
class Uploads implements Handler, UploadListener {

	private final Path dir;

	private final JsonMapper json;

	Uploads(@Value("${uploads.dir}") Path dir, JsonMapper json) throws IOException {
		this.dir = Files.createDirectories(dir);
		this.json = json;
	}

	@Override
	public void onHead(Request request) {
		if (!request.method().equals("POST")) {
			throw HttpException.methodNotAllowed(List.of("POST"));
		}
	}

	@Override
	public void handle(Request request, Response response) throws IOException {
		List<Map<String, Object>> kept = new ArrayList<>();
		for (UploadedFile file : request.files()) {
			Path target = this.dir.resolve(request.id() + "-" + file.safeFilename());
			file.moveTo(target);
			kept.add(Map.of("field", file.field(), "name", target.getFileName().toString(), "size", file.size()));
		}
		response.send(200, "application/json", this.json.writeValueAsBytes(Map.of("files", kept)));
	}

}
