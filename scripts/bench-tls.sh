#!/usr/bin/env bash
# Benchmarks uploads over TLS, from the project root (builds what it needs; never installs):
#   big:  one connection uploads one multipart file of SIZE (curl -F, which streams it), REPEAT
#         times in one server process after one warm-up upload; MB/s and server CPU s/GiB;
#   many: CONNS keep-alive connections upload FILE_SIZE files in a loop for SECONDS after
#         WARMUP seconds (scripts/bench-tls/TlsMany.java, one blocking SSLSocket per connection); req/s, MB/s, CPU s/GiB.
# Targets, one at a time, all on the same self-signed certificate (made here with openssl):
#   evhttp-tls  demo-app with evhttp.ssl.bundle (a PEM bundle)
#   tomcat-tls  the bench's Tomcat peer (Spring Boot MVC) with server.ssl.bundle, the same bundle
#   netty-tls   the bench's Netty peer behind an SslHandler, JDK provider (scripts/bench-tls/netty-tls)
#   evhttp      demo-app in cleartext, driven by the same clients: the reference
# Server CPU is utime+stime from /proc/PID/stat around each measured run; every answer is checked.
# Usage: scripts/bench-tls.sh [--targets evhttp-tls,tomcat-tls,netty-tls,evhttp] [--scenarios big,many]
#          [--size 1g] [--repeat 3] [--conns 32] [--file-size 1m] [--seconds 15] [--warmup 3]
#          [--bench ../shared/bench] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
targets=evhttp-tls,tomcat-tls,netty-tls,evhttp
scenarios=big,many
size=1g repeat=3 conns=32 file_size=1m seconds=15 warmup=3
bench="$root/../shared/bench"
out="${TMPDIR:-/tmp}/evhttp-bench-tls/$(date +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case $1 in
    --targets) targets=$2; shift 2 ;;
    --scenarios) scenarios=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --conns) conns=$2; shift 2 ;;
    --file-size) file_size=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --bench) bench=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
want() { [[ ",$scenarios," == *",$1,"* ]]; }
# bytes 1g|64m|512k|N
bytes() { numfmt --from=iec "$(echo "$1" | tr '[:lower:]' '[:upper:]')"; }
size_bytes=$(bytes "$size")
file_bytes=$(bytes "$file_size")
bench=$(cd "$bench" && pwd)
work="$root/target/bench-tls"
mkdir -p "$out/logs" "$work"
results="$out/results.txt"
: > "$results"
tick=$(getconf CLK_TCK)

echo "== build"
if [ ! -f demo-app/target/demo-app.jar ] \
    || [ -n "$(find pom.xml */pom.xml */src/main -newer demo-app/target/demo-app.jar -type f 2>/dev/null | head -1)" ]; then
  mvn -B -o -q package -DskipTests -pl demo-app -am > "$out/logs/build-demo.log" 2>&1 \
    || { echo "demo-app build failed, see $out/logs/build-demo.log" >&2; exit 1; }
fi
if [[ ",$targets," == *",tomcat-tls,"* ]]; then
  "$bench/peers/build-peers.sh" tomcat
fi
if [[ ",$targets," == *",netty-tls,"* ]]; then
  netty_jar="$root/scripts/bench-tls/netty-tls/target/peer-netty-tls.jar"
  if [ ! -f "$netty_jar" ] || [ -n "$(find scripts/bench-tls/netty-tls/pom.xml scripts/bench-tls/netty-tls/src \
      "$bench/peers/netty/src" "$bench/peers/common/src" -newer "$netty_jar" -type f | head -1)" ]; then
    mvn -B -q -f scripts/bench-tls/netty-tls/pom.xml package -Dbench.peers="$bench/peers" \
      > "$out/logs/build-netty-tls.log" 2>&1 \
      || { echo "netty-tls build failed, see $out/logs/build-netty-tls.log" >&2; exit 1; }
  fi
fi
mkdir -p "$work/classes"
javac -d "$work/classes" scripts/bench-tls/TlsMany.java

cert="$work/cert.pem" key="$work/key.pem"
if [ ! -f "$cert" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -keyout "$key" \
    -out "$cert" -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2> "$out/logs/openssl.log"
fi
payload="$work/payload-$size_bytes.bin"
if want big && [ "$(stat -c %s "$payload" 2>/dev/null || echo 0)" != "$size_bytes" ]; then
  head -c "$size_bytes" /dev/urandom > "$payload"
fi

server=""
dir=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"/dir.*
}
trap cleanup EXIT
free_port() { echo $(( 20000 + RANDOM % 30000 )); }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# start TARGET PORT: starts it in the background with DIR $dir; sets $server, $scheme
start() {
  local target=$1 port=$2
  local bundle=(--spring.ssl.bundle.pem.bench.keystore.certificate="file:$cert"
    --spring.ssl.bundle.pem.bench.keystore.private-key="file:$key")
  dir=$(mktemp -d "$work/dir.XXXXXX")
  scheme=https
  case $target in
    evhttp-tls)
      # shellcheck disable=SC2086
      java ${JAVA_OPTS:-} -jar demo-app/target/demo-app.jar --evhttp.port="$port" --evhttp.tmp-path="$dir" \
        "${bundle[@]}" --evhttp.ssl.bundle=bench > "$out/logs/$target.log" 2>&1 & ;;
    evhttp)
      scheme=http
      # shellcheck disable=SC2086
      java ${JAVA_OPTS:-} -jar demo-app/target/demo-app.jar --evhttp.port="$port" --evhttp.tmp-path="$dir" \
        > "$out/logs/$target.log" 2>&1 & ;;
    tomcat-tls)
      # the peer takes PORT DIR only: Boot reads the bundle from system properties
      # shellcheck disable=SC2086
      java ${JAVA_OPTS:-} "${bundle[@]/#--/-D}" -Dserver.ssl.bundle=bench \
        -jar "$bench/peers/tomcat/target/peer-tomcat.jar" "$port" "$dir" > "$out/logs/$target.log" 2>&1 & ;;
    netty-tls)
      # shellcheck disable=SC2086
      java ${JAVA_OPTS:-} -jar "$netty_jar" "$port" "$dir" "$cert" "$key" > "$out/logs/$target.log" 2>&1 & ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
  server=$!
  for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$cert" "$scheme://127.0.0.1:$port/hello")" = 200 ] && return 0
    kill -0 "$server" 2>/dev/null || { echo "$target failed, see $out/logs/$target.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$target did not answer /hello, see $out/logs/$target.log" >&2; exit 1
}
stop() {
  kill "$server" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
}

# upload URL: one curl upload of the payload; prints "seconds cpu_seconds", fails on a wrong answer
upload() {
  local c0 c1 answer
  c0=$(cpu_ticks "$server")
  answer=$(curl -sS --cacert "$cert" -H 'Expect:' -o "$work/answer.json" -w '%{http_code} %{time_total}' \
    -F "file=@$payload;type=application/octet-stream" "$1/upload")
  c1=$(cpu_ticks "$server")
  if [ "${answer%% *}" != 200 ] || ! grep -q "\"size\":$size_bytes" "$work/answer.json"; then
    echo "big: wrong answer $answer: $(head -c 300 "$work/answer.json")" >&2
    return 1
  fi
  echo "${answer#* } $(echo "($c1 - $c0) / $tick" | bc -l)"
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start" | tee "$out/machine.txt"
for target in ${targets//,/ }; do
  port=$(free_port)
  start "$target" "$port"
  url="$scheme://127.0.0.1:$port"
  echo "== $target on $url (pid $server)"
  errors=0
  big_mbps=- big_cpu=- many_rps=- many_mbps=- many_cpu=-
  if want big; then
    upload "$url" > /dev/null || errors=$((errors + 1))
    : > "$work/big.txt"
    for i in $(seq 1 "$repeat"); do
      if r=$(upload "$url"); then
        echo "$r" >> "$work/big.txt"
        echo "$r" | awk -v s="$size_bytes" -v i="$i" \
          '{ printf "big %d: %.1f MB/s, server CPU %.2f s/GiB\n", i, s / 1e6 / $1, $2 / (s / 1073741824) }'
      else
        errors=$((errors + 1))
      fi
    done
    big_mbps=$(awk -v s="$size_bytes" '{ print s / 1e6 / $1 }' "$work/big.txt" | median)
    big_cpu=$(awk -v s="$size_bytes" '{ print $2 / (s / 1073741824) }' "$work/big.txt" | median)
  fi
  if want many; then
    cacert=$cert; [ "$scheme" = http ] && cacert=-
    if java -cp "$work/classes" TlsMany "$url" "$cacert" "$conns" "$file_bytes" "$seconds" "$warmup" "$server" "$tick" \
        > "$work/many.txt" 2> "$out/logs/$target-many.log"; then :; else errors=$((errors + 1)); fi
    head -1 "$work/many.txt"
    read -r requests secs many_errors cpu < <(tail -1 "$work/many.txt")
    errors=$((errors + many_errors))
    many_rps=$(echo "$requests / $secs" | bc -l)
    many_mbps=$(echo "$requests * $file_bytes / 1000000 / $secs" | bc -l)
    many_cpu=$( [ "$requests" -gt 0 ] && echo "$cpu / ($requests * $file_bytes / 1073741824)" | bc -l || echo -)
  fi
  stop
  left=$(find "$dir" -type f | wc -l)
  printf '%s %s %s %s %s %s %s %s\n' "$target" "$big_mbps" "$big_cpu" "$many_rps" "$many_mbps" "$many_cpu" \
    "$errors" "$left" >> "$results"
  rm -rf "$dir"
done
echo "machine: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end" | tee -a "$out/machine.txt"

fmt() { [ "$1" = - ] && echo - || printf "%.${2}f" "$1"; }
{
  echo "# Uploads over TLS ($(date -u +%Y-%m-%d))"
  echo
  cat "$out/machine.txt"
  echo
  echo "big: $size in one upload, median of $repeat after a warm-up; many: $conns connections, $file_size files,"
  echo "${seconds} s after ${warmup} s of warm-up. CPU: the server's user + system seconds per GiB uploaded."
  echo
  echo "| server | big MB/s | big CPU s/GiB | many req/s | many MB/s | many CPU s/GiB | errors | files left |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  while read -r target bm bc mr mm mc err left; do
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$target" "$(fmt "$bm" 1)" "$(fmt "$bc" 2)" \
      "$(fmt "$mr" 1)" "$(fmt "$mm" 1)" "$(fmt "$mc" 2)" "$err" "$left"
  done < "$results"
} > "$out/report.md"
echo
cat "$out/report.md"
echo
echo "kept in $out"
