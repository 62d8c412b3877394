#!/usr/bin/env bash
# bench/run adapter [--concurrency 1,16,256] [--rounds 3] [--tokens 64] [--ttft-ms 50] [--itl-ms 10]
# The engine adapter's overhead: the simulated engine behind the adapter (its runnable jar, loopback HTTP)
# vs the same simulator in-process, at 1, 16 and 256 concurrent streams, in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(./platform java-home)
export JAVA_HOME
./mvnw -q -B -DskipTests package -pl bench -am
jar=$(ls engine-adapter/target/engine-adapter-*-exec.jar | head -1)
"$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.maas.bench.adapter.AdapterBench \
  --jar "$jar" "$@"
