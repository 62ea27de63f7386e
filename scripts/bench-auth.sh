#!/usr/bin/env bash
# CPU per request of the data-plane guard (API key verification, local rate limits) against decoding the
# demo's infer body, measured in the same run (gateway/src/test/java/dev/modelgate/gateway/bench/AccessCostBench.java).
# Builds the gateway's classes with the reactor (nothing is installed) and runs the bench on one thread (~1 min).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_DIR=${RUN_DIR:-.run/bench-auth}
mkdir -p "$RUN_DIR"
mvn -B -q -o -pl gateway -am test-compile
mvn -B -q -o -pl gateway dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$RUN_DIR/classpath.txt" \
  >"$RUN_DIR/maven.log" 2>&1 || { cat "$RUN_DIR/maven.log" >&2; exit 1; }
# the reactor's own classes first: ~/.m2 may hold older builds of the sibling modules
CP="gateway/target/test-classes:gateway/target/classes:experiments/target/classes:drift-detector/target/classes"
CP="$CP:inference-backends/target/classes:$(cat "$RUN_DIR/classpath.txt")"
java -Xms256m -Xmx512m -cp "$CP" dev.modelgate.gateway.bench.AccessCostBench | tee "$RUN_DIR/report.txt"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RUN_DIR/report.txt"
