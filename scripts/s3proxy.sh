#!/usr/bin/env bash
# A local S3-compatible server for the demo: S3Proxy (the jar the build copies into
# evhttp-s3-test-support/target/s3proxy) with its filesystem backend, one bucket, on 127.0.0.1.
# Runs in the foreground until Ctrl-C; the data stays in DATA for the next run.
#
#   scripts/s3proxy.sh [PORT] [BUCKET] [DATA]   (defaults 9000, demo, ${TMPDIR:-/tmp}/evhttp-s3proxy;
#                                                 run from the project root after a build)
#
# It accepts requests signed with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (defaults
# evhttp / evhttp-secret), and prints the demo's command line for it.
set -euo pipefail

port=${1:-9000}
bucket=${2:-demo}
data=${3:-${TMPDIR:-/tmp}/evhttp-s3proxy}
access_key=${AWS_ACCESS_KEY_ID:-evhttp}
secret_key=${AWS_SECRET_ACCESS_KEY:-evhttp-secret}

jar=$(ls evhttp-s3-test-support/target/s3proxy/s3proxy-*.jar 2>/dev/null | head -1 || true)
[ -n "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }

# the filesystem backend keeps each bucket as a directory of its base directory
mkdir -p "$data/$bucket"
conf="$data/s3proxy.conf"
cat > "$conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$access_key
s3proxy.credential=$secret_key
jclouds.provider=filesystem
jclouds.filesystem.basedir=$data
CONF

cat <<HELP
S3Proxy on http://127.0.0.1:$port, bucket '$bucket' in $data. Start the demo against it:

  AWS_ACCESS_KEY_ID=$access_key AWS_SECRET_ACCESS_KEY=$secret_key java -jar demo-app/target/demo-app.jar \\
    --evhttp.storage.type=s3 --evhttp.storage.s3.bucket=$bucket \\
    --evhttp.storage.s3.endpoint=http://127.0.0.1:$port --evhttp.storage.s3.path-style=true \\
    --evhttp.storage.s3.region=us-east-1

HELP
export LOG_LEVEL=${LOG_LEVEL:-warn} JETTY_LOG_LEVEL=${JETTY_LOG_LEVEL:-warn}
exec java -Xmx512m -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -jar "$jar" --properties "$conf"
