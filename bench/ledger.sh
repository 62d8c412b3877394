#!/usr/bin/env bash
# bench/run ledger [-Drecords=N -Dingest=N -Dthreads=N -Drequests=N]: usage-ledger ingest rate (P5; -Drecords=0 for it alone) and one tenant's
# month statement over >= 10 M ledger entries, each against a reference, on a throwaway database
# of the local PostgreSQL (MAAS_BENCH_PG_URL / _USER / _PASSWORD, default 127.0.0.1 as maas/maas).
set -euo pipefail
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -B -q -DskipTests -pl bench -am install
exec "$JAVA_HOME/bin/java" "$@" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.maas.bench.ledger.LedgerBench
