#!/usr/bin/env bash
# Builds the bench's sink with evhttp's multipart delimiter search run over every body read,
# to tell the cost of parsing from the rest of the gap between evhttp and the sink.
#
#   scripts/sink-that-scans.sh [JAR]      (default: ${TMPDIR:-/tmp}/sink-that-scans.jar)
#
# The sink's source is ../shared/bench/peers/sink, changed in one place: each body read is
# searched for the load generator's delimiter with evhttp's DelimiterSearch before it is
# written (bytes still go to the file unparsed). Run it like the sink; -Dsink.scan=false
# turns the search off. Needs evhttp-core built (mvn -B -DskipTests package).
set -euo pipefail

bench=${BENCH:-../shared/bench}
jar=${1:-${TMPDIR:-/tmp}/sink-that-scans.jar}
core=evhttp-core/target/classes
[ -d "$core" ] || { echo "build evhttp-core first: mvn -B -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/src/io/evhttp/internal/multipart" "$work/out"
cp -r "$bench/peers/sink/src/main/java/bench" "$bench/peers/common/src/main/java/bench" "$work/src/"
cat > "$work/src/io/evhttp/internal/multipart/SinkScan.java" <<'JAVA'
package io.evhttp.internal.multipart;

import java.nio.ByteBuffer;

/** evhttp's delimiter search over a sink's body reads; counts what it finds. */
public final class SinkScan {

	public static final boolean ON = Boolean.parseBoolean(System.getProperty("sink.scan", "true"));

	private static final DelimiterSearch SEARCH = new DelimiterSearch(
			System.getProperty("sink.boundary", "----LoadGenBoundary7MA4YWxkTrZu0gW18a2b3c4d5e6"));

	public static long found;

	public static void over(ByteBuffer buf, int from, int to) {
		for (int at = SEARCH.find(buf, from, to); at >= 0; at = SEARCH.find(buf, at + 1, to)) {
			found++;
		}
	}

}
JAVA
python3 - "$work/src/bench/sink/SinkServer.java" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
old = """                    buf.flip();
                    while (buf.hasRemaining()) {"""
new = """                    buf.flip();
                    if (io.evhttp.internal.multipart.SinkScan.ON) {
                        io.evhttp.internal.multipart.SinkScan.over(buf, 0, buf.limit());
                    }
                    while (buf.hasRemaining()) {"""
if old not in s:
    sys.exit("the sink's copy loop changed: update scripts/sink-that-scans.sh")
open(p, "w").write(s.replace(old, new))
PY
javac -d "$work/out" -cp "$core" $(find "$work/src" -name '*.java')
cp -r "$core/io" "$work/out/"
jar cfe "$jar" bench.sink.SinkServer -C "$work/out" .
echo "$jar"
