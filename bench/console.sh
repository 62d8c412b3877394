#!/usr/bin/env bash
# bench/run console [--requests 100] [--warmup 20] [--tenants 200] [--deployments 20]
# Each console page's response time (p50, p99) with a month of roll-ups for a busy platform, against the
# tenant-service API call the page is built on, in the same run; tenant-service, the gateway and the console
# run as their own processes on a throwaway database of the local PostgreSQL (MAAS_BENCH_PG_URL / _USER / _PASSWORD).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(./platform java-home)
export JAVA_HOME
./mvnw -q -B -DskipTests package -pl bench,web-console -am
exec "$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.maas.bench.console.ConsoleBench \
  --tenant-jar "$(ls tenant-service/target/tenant-service-*-exec.jar | head -1)" \
  --gateway-jar "$(ls inference-gateway/target/inference-gateway-*-exec.jar | head -1)" \
  --console-jar "$(ls web-console/target/web-console-*-exec.jar | head -1)" "$@"
