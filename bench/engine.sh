#!/usr/bin/env bash
# bench/run engine [--requests N] [--max-tokens N] [--rounds N] [--concurrency 1,2] [--warmup 32] [--jit-warmup 3000]
# Starts the platform on spare ports with its own state, then measures the demo model three ways.
set -euo pipefail
cd "$(dirname "$0")/.."
state=$(mktemp -d)
# a secret of this run, so that the benchmark can also call the engine adapter directly, as the gateway does
PLATFORM_ENGINE_SECRET=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
export PLATFORM_ENGINE_SECRET PLATFORM_STATE_DIR=$state PLATFORM_GATEWAY_PORT=18080 PLATFORM_ENGINE_PORT=18090 PLATFORM_TENANT_PORT=18081 PLATFORM_CONSOLE_PORT=18082
./platform up > "$state/up.log" 2>&1 &
platform_pid=$!
# the benchmark's own status, not that of the platform it stops
trap 'status=$?; kill -TERM $platform_pid 2>/dev/null; wait $platform_pid 2>/dev/null; rm -rf "$state"; exit $status' EXIT
echo "… starting the platform (log: $state/up.log)"
until grep -q '^READY' "$state/up.log"; do
  kill -0 $platform_pid 2>/dev/null || { cat "$state/up.log"; exit 1; }
  sleep 1
done
ready=$(grep '^READY' "$state/up.log")
value() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$ready"; }
JAVA_HOME=$(./platform java-home)
export JAVA_HOME
./mvnw -q -B -DskipTests package -pl bench -am
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.maas.bench.engine.EngineBench \
  --gateway "$(value gateway)" --key "$(value api_key)" --engine "$(value engine)" --engine-secret "$PLATFORM_ENGINE_SECRET" --model "$(value model)" \
  --model-file "$state/models/demo-moe-v2.gguf" "$@"
