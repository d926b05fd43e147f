#!/usr/bin/env bash
# CPU per request of each thread of a server, from /proc, around one LoadGen run.
#
#   scripts/cpu-by-thread.sh TARGET SCENARIO [WARMUP_S] [SECONDS] [-- JVM options]
#
# TARGET is "evhttp" (demo-app/target/demo-app.jar, or $JAR), "core" (the echo on evhttp's core
# alone, io.evhttp.benchmarks.CoreEcho in evhttp-benchmarks/target/benchmarks.jar, or $JAR), "sink" (the
# bench's peer) or "sink-scan" (the sink running evhttp's delimiter search,
# scripts/sink-that-scans.sh).
# The server gets a fresh directory under ${TMPDIR:-/tmp} (TMPDIR=/dev/shm puts it on tmpfs),
# is warmed with SCENARIO for WARMUP_S seconds (default 8), then measured for SECONDS
# (default 10). For SCENARIO big, WARMUP_S and SECONDS count uploads of 1 GiB instead, and
# figures are per GiB. Threads are summed by name without their numbers (evhttp-loop-0 and -1 are
# one row); rows under 0.5 µs per request are left out. Run from the project root with
# ../shared/bench beside it; builds nothing but the sink that scans, when it is missing.
set -euo pipefail

target=${1:?target: evhttp or sink}
scenario=${2:?scenario: many, form, hello, big...}
warmup=${3:-8}
seconds=${4:-10}
shift $(($# < 4 ? $# : 4))
[ "${1:-}" = "--" ] && shift

bench=${BENCH:-../shared/bench}
port=${PORT:-18081}
dir=$(mktemp -d "${TMPDIR:-/tmp}/cpu-by-thread.XXXXXX")
log="$dir.log"
loadgen="$bench/loadgen/target"
if [ ! -f "$loadgen/LoadGen.class" ]; then
  mkdir -p "$loadgen" && javac -d "$loadgen" "$bench/loadgen/LoadGen.java"
fi

if [ "$target" = sink ]; then
  "$bench/peers/run-peer.sh" sink "$port" "$dir" > "$log" 2>&1 &
elif [ "$target" = sink-scan ]; then
  scan=${SCAN_JAR:-${TMPDIR:-/tmp}/sink-that-scans.jar}
  [ -f "$scan" ] || BENCH="$bench" "$(dirname "$0")/sink-that-scans.sh" "$scan" > /dev/null
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -jar "$scan" "$port" "$dir" > "$log" 2>&1 &
elif [ "$target" = core ]; then
  java "$@" -cp "${JAR:-evhttp-benchmarks/target/benchmarks.jar}" io.evhttp.benchmarks.CoreEcho "$port" "$dir" > "$log" 2>&1 &
else
  java "$@" -jar "${JAR:-demo-app/target/demo-app.jar}" --evhttp.port="$port" --evhttp.tmp-path="$dir" > "$log" 2>&1 &
fi
launcher=$!
cleanup() {
  pkill -P "$launcher" 2> /dev/null || true
  kill "$launcher" 2> /dev/null || true
  wait "$launcher" 2> /dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

for _ in $(seq 1 240); do
  curl -s -o /dev/null "http://127.0.0.1:$port/hello" && break
  sleep 0.5
done
# the JVM that listens: the launcher itself, or its child (run-peer.sh execs or forks java)
pid=$(pgrep -P "$launcher" java || echo "$launcher")

if [ "$scenario" = big ]; then
  # WARMUP_S and SECONDS count uploads of 1 GiB here, one after another on one connection
  run() { java -cp "$loadgen" LoadGen big --port "$port" --size 1g --repeat "$1" --warmup 0 2>&1 | head -1; }
else
  run() { java -cp "$loadgen" LoadGen "$scenario" --port "$port" --warmup 0 --seconds "$1" 2>&1 | head -1; }
fi
snapshot() {
  for t in /proc/"$pid"/task/*; do
    # comm may hold spaces; utime and stime are fields 14 and 15, counted after the ')'
    name=$(tr ' ' '_' < "$t/comm")
    read -r -a f <<< "$(sed 's/.*) //' "$t/stat")"
    echo "$name ${f[11]} ${f[12]}"
  done
}

run "$warmup" > /dev/null
snapshot > "$dir.a"
line=$(run "$seconds")
snapshot > "$dir.b"
echo "$target: $line"
if [ "$scenario" = big ]; then
  reqs=$seconds unit="ms/GiB" scale=1e3
else
  rate=$(grep -o '[0-9.]* req/s' <<< "$line" | cut -d' ' -f1)
  reqs=$(awk -v r="$rate" -v s="$seconds" 'BEGIN { print r * s }') unit="µs/req"
  scale=1e6
fi
ticks=$(getconf CLK_TCK)
awk -v reqs="$reqs" -v unit="$unit" -v scale="$scale" -v tck="$ticks" '
  { name = $1; sub(/[-#_]?[0-9]+$/, "", name) }
  FNR == NR { u[name] -= $2; s[name] -= $3; next }
  { u[name] += $2; s[name] += $3; seen[name] = 1 }
  END {
    for (n in seen) {
      du = u[n] * scale / tck / reqs; ds = s[n] * scale / tck / reqs
      tu += du; ts += ds
      if (du + ds >= 0.5) printf "  %-28s user %8.1f  sys %8.1f %s\n", n, du, ds, unit
    }
    printf "  %-28s user %8.1f  sys %8.1f %s\n", "TOTAL", tu, ts, unit
  }' "$dir.a" "$dir.b"
rm -f "$dir.a" "$dir.b" "$log"
