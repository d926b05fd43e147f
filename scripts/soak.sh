#!/usr/bin/env bash
# Soak test: runs the demo under mixed load for a bounded time and reports, every 10 s, the
# server's heap, RSS and open file descriptors, then requests served, errors and leftover files.
#
#   scripts/soak.sh [MINUTES]        (default 10; run from the project root after a build)
#
# Load (all on 127.0.0.1, bounded in count and time, stops by itself), in rounds until time is up:
#   many   8 keep-alive connections uploading 1-16 MiB files      (../shared/bench LoadGen)
#   form   32 connections posting small multipart forms
#   slow   300 trickling uploads + 50 idle connections, dropped after 20 s
#   cut    uploads cut off mid-file by curl (--max-time / -Y), and garbage requests
set -uo pipefail

minutes=${1:-10}
root=$(pwd)
bench="$root/../shared/bench"
jar="$root/demo-app/target/demo-app.jar"
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
[ -d "$bench/loadgen" ] || { echo "needs ../shared/bench beside the project" >&2; exit 1; }

out=${SOAK_OUT:-${TMPDIR:-/tmp}/evhttp-soak-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out/tmp"
port=$((20000 + RANDOM % 20000))
mkdir -p "$bench/loadgen/target" 2>/dev/null
loadgen_cp="$out/loadgen"
mkdir -p "$loadgen_cp"
javac -d "$loadgen_cp" "$bench/loadgen/LoadGen.java" || exit 1

java -Xmx256m -jar "$jar" --evhttp.port="$port" --evhttp.tmp-path="$out/tmp" --evhttp.timeout=10s \
  --evhttp.limits.file=64MB > "$out/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/hello" && break; sleep 0.5; done

sample() {
  local heap rss fds files
  heap=$(jcmd "$pid" GC.heap_info 2>/dev/null | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {print $(i+1); exit}}')
  rss=$(awk '/VmRSS/ {print $2/1024 " MiB"}' /proc/$pid/status 2>/dev/null)
  fds=$(ls /proc/$pid/fd 2>/dev/null | wc -l)
  files=$(find "$out/tmp" -type f | wc -l)
  printf '%s  heap used %-10s rss %-12s fds %-5s temp files %s\n' "$(date +%T)" "$heap" "$rss" "$fds" "$files" \
    | tee -a "$out/samples.txt"
}

( while kill -0 $pid 2>/dev/null; do sample; sleep 10; done ) &
sampler=$!

end=$(( $(date +%s) + minutes * 60 ))
round=0
while [ "$(date +%s)" -lt "$end" ]; do
  round=$((round + 1))
  size=$(( (RANDOM % 16) + 1 ))m
  java -cp "$loadgen_cp" LoadGen many --port "$port" --conns 8 --size "$size" --seconds 15 --warmup 1 \
    | tail -1 >> "$out/results.jsonl"
  java -cp "$loadgen_cp" LoadGen form --port "$port" --conns 32 --seconds 15 --warmup 1 | tail -1 >> "$out/results.jsonl"
  java -cp "$loadgen_cp" LoadGen slow --port "$port" --conns 300 --idle 50 --seconds 20 | tail -1 >> "$out/results.jsonl"
  for i in $(seq 1 20); do
    head -c 4000000 /dev/urandom | curl -s -o /dev/null --max-time 0.2 -F "f=@-;filename=cut$i.bin" \
      "http://127.0.0.1:$port/upload" || true
    printf 'GARBAGE %s\r\n\r\n' "$i" | timeout 2 bash -c "cat > /dev/tcp/127.0.0.1/$port" 2>/dev/null || true
  done
done
sleep 12
sample
kill $sampler 2>/dev/null

served=$(grep -o '"requests":[0-9]*' "$out/results.jsonl" | cut -d: -f2 | awk '{s+=$1} END {print s+0}')
errors=$(grep -o '"errors":[0-9]*' "$out/results.jsonl" | cut -d: -f2 | awk '{s+=$1} END {print s+0}')
leftover=$(find "$out/tmp" -type f | wc -l)
echo
echo "soak: $minutes min, $round rounds; requests served (many+form) $served, load generator errors $errors, leftover temp files $leftover"
echo "samples: $out/samples.txt; results: $out/results.jsonl; server log: $out/server.log"
[ "$leftover" -eq 0 ]
