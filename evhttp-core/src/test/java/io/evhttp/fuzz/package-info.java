/**
 * Jazzer fuzz tests of the parsers, and a differential test against Netty's HTTP decoder.
 */
package io.evhttp.fuzz;
