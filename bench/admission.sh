#!/usr/bin/env bash
# bench/run admission [-Drequests=N -Dconcurrency=N]: admission overhead per request (p50, p99) with no
# limits, limits in the in-process store, in Redis (its own redis-server on a free loopback port, needs
# redis-server on the PATH) and with a spend limit reserved in PostgreSQL, in one run, on a throwaway
# database of the local PostgreSQL (MAAS_BENCH_PG_URL / _USER / _PASSWORD, default 127.0.0.1 as maas/maas).
set -euo pipefail
JAVA_HOME=$(./platform java-home)
export JAVA_HOME
./mvnw -B -q -DskipTests -pl bench -am package
exec "$JAVA_HOME/bin/java" "$@" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.maas.bench.admission.AdmissionBench
