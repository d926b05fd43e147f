#!/usr/bin/env bash
# Benchmarks the S3 store against a local S3Proxy (filesystem backend), from the project root
# after `mvn -B install -DskipTests`:
#   1. big (1 GiB) and many with demo-app on local disk, then with demo-app storing into S3Proxy;
#   2. the reference: the AWS SDK's own multipart upload of the same size from a local file, and
#      32 SDK clients putting 1 MiB objects;
#   3. --memory: RSS of a 2 GiB upload into S3Proxy under -Xmx64m;
#   4. the spool disk of one upload (the largest tmp-path seen while big runs in S3 mode).
# Usage: scripts/bench-s3.sh [--rounds N] [--out DIR] [--parts local,s3,reference,memory]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
parts=local,s3,reference,memory
out="${TMPDIR:-/tmp}/evhttp-bench-s3/$(date +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --parts) parts=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bench=../shared/bench/bench.sh
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-s3proxy.XXXXXX")
s3proxy_jar=$(ls evhttp-s3-test-support/target/s3proxy/*.jar | head -1)
port=$(( 20000 + RANDOM % 30000 ))
endpoint="http://127.0.0.1:$port"
mkdir -p "$work/data"
cat > "$work/s3proxy.conf" <<CONF
s3proxy.endpoint=$endpoint
s3proxy.authorization=none
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/data
CONF
java -jar "$s3proxy_jar" --properties "$work/s3proxy.conf" > "$out/s3proxy.log" 2>&1 &
s3pid=$!
sampler=
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  kill "$s3pid" 2>/dev/null
  wait "$s3pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 150); do
  curl -s -o /dev/null "$endpoint/" && break
  sleep 0.2
done
curl -s -f -X PUT "$endpoint/bench" > /dev/null
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench
want() { [[ ",$parts," == *",$1,"* ]]; }

if want local; then
  echo "== local disk"
  "$bench" --scenarios big,many --rounds "$rounds" --out "$out/local" evhttp
fi

s3_env=(EVHTTP_STORAGE_TYPE=s3 EVHTTP_STORAGE_S3_BUCKET=bench EVHTTP_STORAGE_S3_PREFIX=bench/
  EVHTTP_STORAGE_S3_ENDPOINT="$endpoint" EVHTTP_STORAGE_S3_PATH_STYLE=true EVHTTP_STORAGE_S3_REGION=us-east-1)

if want s3; then
echo "== S3 (spool disk sampled)"
# the largest tmp-path of any running bench target, in bytes
( max=0; while true; do
    for d in "${TMPDIR:-/tmp}"/bench-dir.*; do
      [ -d "$d" ] || continue
      s=$(du -sb "$d" 2>/dev/null | cut -f1); s=${s:-0}
      [ "$s" -gt "$max" ] && max=$s && echo "$max" > "$out/spool-max-bytes"
    done
    sleep 0.1
  done ) &
sampler=$!
env "${s3_env[@]}" "$bench" --scenarios big,many --rounds "$rounds" --out "$out/s3" evhttp
kill "$sampler" 2>/dev/null || true; sampler=
echo "largest spool seen: $(cat "$out/spool-max-bytes" 2>/dev/null || echo 0) bytes"
fi

if want reference; then
echo "== reference: the SDK's multipart upload of 1 GiB from a local file"
mvn -B -q dependency:build-classpath -pl evhttp-benchmarks -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/cp.txt" > /dev/null
java -cp "evhttp-benchmarks/target/test-classes:$(cat "$work/cp.txt")" io.evhttp.bench.S3DirectUpload \
  "$endpoint" bench $((1024 * 1024 * 1024)) "$rounds" $((8 * 1024 * 1024)) | tee "$out/reference.txt"
echo "== reference: 32 SDK clients putting and deleting 1 MiB objects for 15 s (as many does)"
java -cp "evhttp-benchmarks/target/test-classes:$(cat "$work/cp.txt")" io.evhttp.bench.S3DirectUpload \
  --many "$endpoint" bench $((1024 * 1024)) 32 15 | tee -a "$out/reference.txt"
fi

if want memory; then
  echo "== memory: 2 GiB into S3 under -Xmx64m"
  env "${s3_env[@]}" "$bench" --memory --out "$out/memory" evhttp
fi

echo "objects left under bench/: $(curl -s "$endpoint/bench?prefix=bench/" | grep -o '<Key>' | wc -l)"
echo "results in $out"
