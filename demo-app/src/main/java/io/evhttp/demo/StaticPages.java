package io.evhttp.demo;

import io.evhttp.http.HttpException;
import io.evhttp.server.Handler;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.UploadListener;
import io.evhttp.spring.EvUploadHandler;
import io.evhttp.spring.Threading;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Serves the upload page and its assets from {@code classpath:static/}, held in memory
 * (they are small; {@code tus.min.js} is tus-js-client's browser bundle, put there by the
 * build from the npm package), with their content types, an ETag, and
 * {@code Cache-Control: no-cache} so that a browser revalidates and gets 304 while
 * nothing changed.
 */
@EvUploadHandler(path = { "/", "/app.js", "/app.css", "/resumable.js", "/tus.min.js" },
		threading = Threading.EVENT_LOOP)
class StaticPages implements Handler, UploadListener {

	private record Asset(byte[] bytes, String contentType, String etag) {
	}

	private final Map<String, Asset> assets = Map.of("/", load("index.html", "text/html; charset=utf-8"), "/app.js",
			load("app.js", "text/javascript; charset=utf-8"), "/app.css", load("app.css", "text/css; charset=utf-8"),
			"/resumable.js", load("resumable.js", "text/javascript; charset=utf-8"), "/tus.min.js",
			load("tus.min.js", "text/javascript; charset=utf-8"));

	@Override
	public void onHead(Request request) {
		if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
			throw HttpException.methodNotAllowed(List.of("GET", "HEAD"));
		}
	}

	@Override
	public void handle(Request request, Response response) {
		Asset asset = this.assets.get(request.path());
		response.header("ETag", asset.etag()).header("Cache-Control", "no-cache");
		if (asset.etag().equals(request.header("If-None-Match"))) {
			response.status(304).end();
			return;
		}
		response.header("X-Content-Type-Options", "nosniff").send(200, asset.contentType(), asset.bytes());
	}

	private static Asset load(String name, String contentType) {
		try (InputStream in = StaticPages.class.getResourceAsStream("/static/" + name)) {
			if (in == null) {
				throw new IllegalStateException("missing static/" + name);
			}
			byte[] bytes = in.readAllBytes();
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
			return new Asset(bytes, contentType, "\"" + HexFormat.of().formatHex(hash, 0, 8) + "\"");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
