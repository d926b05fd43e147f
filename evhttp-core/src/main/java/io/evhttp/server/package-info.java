/**
 * The server and what a handler touches: {@link io.evhttp.server.EvServer} with its
 * {@link io.evhttp.server.ServerOptions} and {@link io.evhttp.server.ListenerConfig}, the
 * {@link io.evhttp.server.Handler} and {@link io.evhttp.server.UploadListener} callbacks,
 * {@link io.evhttp.server.Request}, {@link io.evhttp.server.Response} and
 * {@link io.evhttp.server.UploadedFile}.
 * <p>
 * The event loops, connections and body readers behind them are package-private.
 */
package io.evhttp.server;
