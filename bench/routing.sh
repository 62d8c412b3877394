#!/usr/bin/env bash
# bench/run routing [--conversations 200] [--turns 6] [--conversations-per-second 3] [--think-ms 500]
#   [--engines 4] [--slots 4] [--cache-blocks 512] [--prefill-us 100] [--system-prompts 8] [--only picking]
#   [--llama-engines 2] [--llama-conversations 24] [--llama-turns 4] [--llama-conversations-per-second 0.5]
#   [--llama-think-ms 1000] [--llama-system-prompts 4]
# round-robin vs least-load vs prefix-affinity in the gateway, multi-turn conversations, on simulated engines with
# a prefill cost and a bounded prefix cache, then on llama.cpp engine adapters running the demo model (a smaller
# workload; --llama-engines 0 skips them); then the cost of one decision with 64 endpoints.
# PostgreSQL as for bench/run ledger (MAAS_BENCH_PG_URL / _USER / _PASSWORD).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(./platform java-home)
export JAVA_HOME
./mvnw -q -B -DskipTests package -pl bench -am
jar=$(ls engine-adapter/target/engine-adapter-*-exec.jar | head -1)
exec "$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.maas.bench.routing.RoutingBench \
  --jar "$jar" --gateway-jar "$(ls inference-gateway/target/inference-gateway-*-exec.jar | head -1)" "$@"
