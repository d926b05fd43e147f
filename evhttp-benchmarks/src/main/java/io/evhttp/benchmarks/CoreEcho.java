package io.evhttp.benchmarks;

import io.evhttp.http.HttpException;
import io.evhttp.server.EvServer;
import io.evhttp.server.Handler;
import io.evhttp.server.ListenerConfig;
import io.evhttp.server.Request;
import io.evhttp.server.Response;
import io.evhttp.server.ServerOptions;
import io.evhttp.server.UploadListener;
import io.evhttp.server.UploadedFile;
import io.evhttp.upload.DigestAlgorithm;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The echo contract ({@code ../shared/CONTRACT.md}) on evhttp's core alone: no Spring, no
 * observation, no Jackson. Beside the demo it tells the server's own cost per request
 * from what the starter's layers and the demo's JSON add, against the bench's sink:
 *
 * <pre>
 * java -cp evhttp-benchmarks/target/benchmarks.jar io.evhttp.benchmarks.CoreEcho PORT DIR
 * </pre>
 *
 * Handlers run on the event loop, as the demo's echo does; files are deleted by the
 * server once the answer is written.
 */
public final class CoreEcho implements Handler, UploadListener {

	private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

	public static void main(String[] args) throws Exception {
		if (args.length != 2) {
			System.err.println("usage: CoreEcho PORT DIR");
			System.exit(2);
		}
		Path dir = Files.createDirectories(Path.of(args[1]));
		EvServer server = start(Integer.parseInt(args[0]), dir);
		System.out.println("evhttp core echo on 127.0.0.1:" + server.listeners().get(0).port() + " dir=" + dir);
		new CountDownLatch(1).await();
	}

	/**
	 * A started server answering the echo contract on 127.0.0.1:port (0: a free port).
	 */
	static EvServer start(int port, Path dir) throws IOException {
		CoreEcho echo = new CoreEcho();
		EvServer server = new EvServer(ServerOptions.builder().uploads((u) -> u.withTmpPath(dir)).build());
		server.listen(
				ListenerConfig.of(port, echo).withAddress(new InetSocketAddress("127.0.0.1", port)).withUploads(echo));
		server.start();
		return server;
	}

	@Override
	public void onHead(Request request) {
		request.handleOnEventLoop();
		if (request.path().equals("/upload")) {
			if (!request.method().equals("POST")) {
				throw HttpException.methodNotAllowed(List.of("POST"));
			}
			String type = request.header("Content-Type");
			String essence = (type != null) ? essence(type) : "";
			if (!essence.equals("multipart/form-data") && !essence.equals("application/x-www-form-urlencoded")
					&& !(type == null && request.contentLength() == 0)) {
				throw new HttpException(415, "neither multipart/form-data nor urlencoded");
			}
			if ("1".equals(request.queryParam("sha256"))) {
				request.digest(DigestAlgorithm.SHA_256);
			}
		}
		else if (!request.path().equals("/hello")) {
			throw new HttpException(404, "not found");
		}
	}

	private static String essence(String contentType) {
		int semicolon = contentType.indexOf(';');
		return ((semicolon < 0) ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
	}

	@Override
	public boolean wantsFileWrites(Request request) {
		return false;
	}

	@Override
	public void handle(Request request, Response response) {
		if (request.path().equals("/hello")) {
			response.send(200, "text/plain", HELLO);
			return;
		}
		response.send(200, "application/json", echo(request).getBytes(StandardCharsets.UTF_8));
	}

	static String echo(Request request) {
		StringBuilder json = new StringBuilder(256).append("{\"query\":");
		multiMap(json, request.query());
		json.append(",\"fields\":");
		multiMap(json, request.fields());
		json.append(",\"files\":[");
		String comma = "";
		for (UploadedFile file : request.files()) {
			json.append(comma).append("{\"field\":");
			string(json, file.field()).append(",\"filename\":");
			string(json, file.filename()).append(",\"contentType\":");
			string(json, file.contentType()).append(",\"size\":").append(file.size());
			if (file.digestHex() != null) {
				string(json.append(",\"sha256\":"), file.digestHex());
			}
			json.append('}');
			comma = ",";
		}
		return json.append("]}").toString();
	}

	private static void multiMap(StringBuilder json, Map<String, List<String>> map) {
		json.append('{');
		String comma = "";
		for (Map.Entry<String, List<String>> entry : map.entrySet()) {
			string(json.append(comma), entry.getKey()).append(":[");
			String valueComma = "";
			for (String value : entry.getValue()) {
				string(json.append(valueComma), value);
				valueComma = ",";
			}
			json.append(']');
			comma = ",";
		}
		json.append('}');
	}

	private static StringBuilder string(StringBuilder json, String s) {
		json.append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20) {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		return json.append('"');
	}

}
