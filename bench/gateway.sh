#!/usr/bin/env bash
# bench/run gateway [--seconds 15] [--connections 64] [--rounds 2] [--warmup 60]: P1, non-stream requests per second and latency
# through the gateway with every guarantee on vs nginx proxy_pass, both in front of the same canned engine, driven by
# wrk, in one run, on a throwaway database of the local PostgreSQL (MAAS_BENCH_PG_URL / _USER / _PASSWORD).
# Installs wrk and nginx with apt-get when missing, as ./platform installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
./platform bench-tools
JAVA_HOME=$(./platform java-home)
export JAVA_HOME
./mvnw -q -B -DskipTests package -pl bench -am
jar=$(ls inference-gateway/target/inference-gateway-*-exec.jar | head -1)
exec "$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.maas.bench.gateway.GatewayBench \
  --jar "$jar" "$@"
