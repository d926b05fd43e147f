/**
 * Resumable uploads on evhttp: tus 1.0 and the IETF "Resumable Uploads for HTTP" draft
 * served on one endpoint, over one storage SPI.
 */
module io.evhttp.resumable {

	requires transitive io.evhttp.core;
	requires java.logging;

	exports io.evhttp.resumable;

}
