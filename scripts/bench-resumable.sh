#!/usr/bin/env bash
# Benchmarks resumable uploads, from the project root (builds what it needs; never installs):
#   1. throughput: a 1 GiB tus upload in one PATCH and in 8 MiB PATCHes, into the local store
#      and into S3Proxy, against evhttp's plain multipart upload of the same bytes (same server,
#      same store) and against @tus/server 2.x with @tus/file-store / @tus/s3-store (npm, in
#      target/bench-resumable/node) on the same S3Proxy; MB/s, server CPU s/GiB, peak RSS;
#   2. requests: the S3 requests of each step of a 20 MiB upload (create, PATCHes, HEAD),
#      counted by a front between the servers and S3Proxy (S3CountingFront);
#   3. takeover: how long a second evhttp node takes to get an upload whose PATCH runs on the
#      first, the holder alive (asked to stop) and killed with kill -9 (bounded by the lease).
# Every server talks to S3 through the counting front. Medians of ROUNDS runs after a warm-up.
# Usage: scripts/bench-resumable.sh [--rounds N] [--out DIR] [--parts throughput,requests,takeover]
#                                   [--stores local,s3]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
parts=throughput,requests,takeover
stores=local,s3
out="${TMPDIR:-/tmp}/evhttp-bench-resumable/$(date +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --parts) parts=$2; shift 2 ;;
    --stores) stores=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
want() { [[ ",$parts," == *",$1,"* ]]; }
root=$(pwd)
work="$root/target/bench-resumable"
mkdir -p "$out/logs" "$work"
rm -rf "$work"/evhttp.* "$work"/tusnode.*
results="$out/results.jsonl"
: > "$results"

echo "== build"
mvn -B -o -q -DskipTests test-compile org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/cp.txt" -pl evhttp-s3 -am > "$out/logs/build.log" \
  || { echo "build failed, see $out/logs/build.log" >&2; exit 1; }
cp="$root/evhttp-s3/target/test-classes:$root/evhttp-s3/target/classes:$(cat "$work/cp.txt")"
if [ ! -d "$work/node/node_modules/@tus/s3-store" ]; then
  mkdir -p "$work/node"
  echo '{"name":"bench-tus-node","private":true,"type":"module"}' > "$work/node/package.json"
  (cd "$work/node" && npm install --no-audit --no-fund @tus/server@^2 @tus/file-store@^2 @tus/s3-store@^2 \
    > "$out/logs/npm.log" 2>&1)
fi
cp scripts/tus-node-server.mjs "$work/node/"
payload="$work/payload-1g.bin"
size=$((1024 * 1024 * 1024))
[ "$(stat -c %s "$payload" 2>/dev/null || echo 0)" = "$size" ] || head -c "$size" /dev/urandom > "$payload"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"/evhttp.* "$work"/tusnode.*
}
trap cleanup EXIT
free_port() { echo $(( 20000 + RANDOM % 30000 )); }
# start NAME CMD...: runs CMD in the background until it prints READY; sets $started
start() {
  local name=$1; shift
  "$@" > "$out/logs/$name.log" 2>&1 &
  started=$!
  pids+=("$started")
  for _ in $(seq 1 300); do
    grep -q READY "$out/logs/$name.log" 2>/dev/null && return 0
    kill -0 "$started" 2>/dev/null || { echo "$name failed, see $out/logs/$name.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "$name did not start" >&2; exit 1
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
load() {
  java -cp "$cp" io.evhttp.s3.bench.ResumableLoad "$@" | tee -a "$results" \
    || echo "{\"label\":\"$1 failed\",\"error\":\"see the output\"}" | tee -a "$results"
}

echo "== S3Proxy and the counting front"
s3port=$(free_port)
mkdir -p "$work/s3data" && rm -rf "$work/s3data"/*
cat > "$work/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$s3port
s3proxy.authorization=none
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/s3data
CONF
s3proxy_jar=$(ls evhttp-s3-test-support/target/s3proxy/s3proxy-*.jar | head -1)
java -jar "$s3proxy_jar" --properties "$work/s3proxy.conf" > "$out/logs/s3proxy.log" 2>&1 &
s3pid=$!
pids+=("$s3pid")
for _ in $(seq 1 150); do curl -s -o /dev/null "http://127.0.0.1:$s3port/" && break; sleep 0.2; done
curl -s -f -X PUT "http://127.0.0.1:$s3port/bench" > /dev/null
curl -s -f -X PUT "http://127.0.0.1:$s3port/tusnode" > /dev/null
frontport=$(free_port)
start front java -cp "$cp" io.evhttp.s3.bench.S3CountingFront "$frontport" "$s3port"
front="http://127.0.0.1:$frontport"

# evhttp STORE PORT [JAVA_OPTS...]: the evhttp bench server, its pid in $started
evhttp() {
  local store=$1 port=$2; shift 2
  local dir; dir=$(mktemp -d "$work/evhttp.XXXXXX")
  if [ "$store" = s3 ]; then
    start "evhttp-$store-$port" java "$@" -cp "$cp" io.evhttp.s3.bench.ResumableBenchServer "$port" "$dir" s3 "$front" bench evhttp/
  else
    start "evhttp-$store-$port" java "$@" -cp "$cp" io.evhttp.s3.bench.ResumableBenchServer "$port" "$dir" local
  fi
}
tusnode() {
  local store=$1 port=$2
  local dir; dir=$(mktemp -d "$work/tusnode.XXXXXX")
  if [ "$store" = s3 ]; then
    start "tusnode-$store" node "$work/node/tus-node-server.mjs" "$port" s3 "$front" tusnode
  else
    start "tusnode-$store" node "$work/node/tus-node-server.mjs" "$port" local "$dir"
  fi
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start" | tee "$out/machine.txt"

if want throughput; then
  for store in ${stores//,/ }; do
    echo "== throughput, $store store"
    port=$(free_port); evhttp "$store" "$port"; server=$started
    watch="$server"; [ "$store" = s3 ] && watch="$server,$s3pid"
    load multipart "$port" "$payload" "$size" "$rounds" "evhttp-multipart-$store" "$watch"
    load tus "$port" /resumable/ "$payload" "$size" 0 "$rounds" "evhttp-tus-one-$store" "$watch"
    load tus "$port" /resumable/ "$payload" "$size" $((8 * 1024 * 1024)) "$rounds" "evhttp-tus-8m-$store" "$watch"
    stop "$server"
    port=$(free_port); tusnode "$store" "$port"; server=$started
    watch="$server"; [ "$store" = s3 ] && watch="$server,$s3pid"
    load tus "$port" /files "$payload" "$size" 0 "$rounds" "tusnode-tus-one-$store" "$watch"
    load tus "$port" /files "$payload" "$size" $((8 * 1024 * 1024)) "$rounds" "tusnode-tus-8m-$store" "$watch"
    stop "$server"
  done
fi

if want requests; then
  echo "== S3 requests per step"
  port=$(free_port); evhttp s3 "$port"; server=$started
  load requests "$port" /resumable/ "$payload" "$front" evhttp-s3
  stop "$server"
  port=$(free_port); tusnode s3 "$port"; server=$started
  load requests "$port" /files "$payload" "$front" tusnode-s3
  stop "$server"
fi

if want takeover; then
  echo "== lease takeover"
  port=$(free_port); evhttp local "$port"; server=$started
  for _ in $(seq 1 "$rounds"); do load takeover "$port" "$port" "$payload" local-same-node; done
  stop "$server"
  portb=$(free_port); evhttp s3 "$portb"; b=$started
  porta=$(free_port); evhttp s3 "$porta"; a=$started
  for _ in $(seq 1 "$rounds"); do load takeover "$porta" "$portb" "$payload" s3-two-nodes; done
  for _ in $(seq 1 "$rounds"); do
    stop "$a"; porta=$(free_port); evhttp s3 "$porta"; a=$started
    load takeover "$porta" "$portb" "$payload" s3-two-nodes "$a"
  done
  stop "$a"; stop "$b"
fi

echo "machine: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end" | tee -a "$out/machine.txt"

# ---- report: medians per label
median() { jq -s "map($1) | sort | if length == 0 then null else .[(length - 1) / 2 | floor] end"; }
{
  echo "# Resumable uploads ($(date -u +%Y-%m-%d), $rounds rounds, medians)"
  echo
  cat "$out/machine.txt"
  echo
  if want throughput; then
    echo "| run | MB/s | server CPU s/GiB | S3Proxy CPU s/GiB | peak RSS MiB |"
    echo "|---|---:|---:|---:|---:|"
    for label in $(jq -r 'select(.mbps) | .label' "$results" | awk '!seen[$0]++'); do
      sel=$(jq -c "select(.label == \"$label\")" "$results")
      printf '| %s | %s | %s | %s | %s |\n' "$label" \
        "$(echo "$sel" | median .mbps)" "$(echo "$sel" | median .cpu_s_per_gib_0)" \
        "$(echo "$sel" | median '.cpu_s_per_gib_1 // empty')" "$(echo "$sel" | median .peak_rss_mib)"
    done
    echo
  fi
  if want requests; then
    echo "| server | step | S3 requests |"
    echo "|---|---|---|"
    jq -r 'select(.step) | "| \(.label) | \(.step) | \(.counts | to_entries | map("\(.key) \(.value)") | join(", ")) |"' "$results"
    echo
  fi
  if want takeover; then
    echo "| store | holder | takeover ms (runs) | status | offset after |"
    echo "|---|---|---|---|---|"
    jq -r 'select(.takeover_ms) | "\(.label)|\(.holder)"' "$results" | awk '!seen[$0]++' | while IFS='|' read -r label holder; do
      sel=$(jq -c "select(.label == \"$label\" and .holder == \"$holder\")" "$results")
      printf '| %s | %s | %s (%s) | %s | %s |\n' "$label" "$holder" "$(echo "$sel" | median .takeover_ms)" \
        "$(echo "$sel" | jq -r .takeover_ms | paste -sd, -)" "$(echo "$sel" | jq -r .status | paste -sd, -)" \
        "$(echo "$sel" | jq -r .offset_after | paste -sd, -)"
    done
  fi
} > "$out/report.md"
cat "$out/report.md"
echo "objects left in the bucket: $(find "$work/s3data/bench" "$work/s3data/tusnode" -type f | wc -l)"
echo "results in $out"
