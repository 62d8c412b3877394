#!/usr/bin/env bash
# bench/run streams [--streams 1000] [--tokens 64] [--itl-ms 35] [--rounds 2] [--warmup 120]: P2, concurrent SSE streams from a simulated
# engine through the gateway with every guarantee on vs nginx (proxy_buffering off), in one run: errors, inter-token
# latency added, the gateway's CPU per relayed event; on a throwaway database of the local PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
./platform bench-tools
JAVA_HOME=$(./platform java-home)
export JAVA_HOME
./mvnw -q -B -DskipTests package -pl bench -am
gateway=$(ls inference-gateway/target/inference-gateway-*-exec.jar | head -1)
adapter=$(ls engine-adapter/target/engine-adapter-*-exec.jar | head -1)
exec "$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.maas.bench.gateway.StreamsBench \
  --gateway-jar "$gateway" --adapter-jar "$adapter" "$@"
