/**
 * evhttp core: a non-blocking HTTP/1.1 upload server with no dependency beyond the JDK.
 * <p>
 * Exports only the API packages. The parsers and decoders in {@code io.evhttp.internal.*}
 * are used by the server and are not exported.
 */
module io.evhttp.core {

	requires java.logging;

	exports io.evhttp.form;
	exports io.evhttp.http;
	exports io.evhttp.multipart;
	exports io.evhttp.server;
	exports io.evhttp.upload;

}
