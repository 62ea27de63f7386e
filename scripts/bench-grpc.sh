#!/usr/bin/env bash
# The gateway's CPU time per request over gRPC (raw contents) against REST/JSON, in one run against one
# gateway process: for the demo model (one row of 12 features) and for an image-sized input (a
# [1,3,224,224] FP32 tensor into an ONNX model the benchmark generates, see ImageBenchModel). Cost =
# the gateway's utime+stime from /proc/PID/stat over a window ÷ the requests answered in it; each case
# runs closed-loop with BENCH_IN_FLIGHT calls in flight, the cases in alternation round after round, and
# the report gives each case's median and the REST / gRPC ratios (GrpcRestCpuBench). Telemetry is off:
# the figures are what the protocols cost, not ClickHouse's. Everything runs on 127.0.0.1; the script
# stops what it started, also on Ctrl-C. About 3 minutes with the defaults.
#
# usage: scripts/bench-grpc.sh
#
# Environment (defaults in brackets):
#   BENCH_WARMUP_SECONDS     warm-up per case, once, before the rounds       [20]
#   BENCH_SECONDS            one measurement window per case and round       [15]
#   BENCH_ROUNDS             rounds over the four cases                      [2]
#   BENCH_IN_FLIGHT          calls kept in flight by the load generator      [8]
#   BENCH_PORT               the gateway's HTTP port; gRPC on the next one   [18180]
#   BENCH_GATEWAY_JAVA_OPTS  JVM options of the gateway                      [-Xms256m -Xmx1g]
#   BENCH_MAVEN_ARGS         extra Maven arguments (empty lets Maven go online) [-o]
set -euo pipefail
export LC_ALL=C

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

WARMUP=${BENCH_WARMUP_SECONDS:-20}
MEASURE=${BENCH_SECONDS:-15}
ROUNDS=${BENCH_ROUNDS:-2}
IN_FLIGHT=${BENCH_IN_FLIGHT:-8}
PORT=${BENCH_PORT:-18180}
GRPC_PORT=$(( PORT + 1 ))
read -r -a GATEWAY_JAVA_OPTS <<< "${BENCH_GATEWAY_JAVA_OPTS:--Xms256m -Xmx1g}"
read -r -a MAVEN_ARGS <<< "${BENCH_MAVEN_ARGS--o}"
RUN_DIR=$REPO_ROOT/.run/bench-grpc/$(date -u +%Y%m%dT%H%M%SZ)
JAR=gateway/target/modelgate.jar
CLICKHOUSE_URL="http://127.0.0.1:${MODELGATE_CH_HTTP_PORT:-8123}"   # unused: telemetry is off
DATABASE=modelgate_bench_grpc
READY_TIMEOUT_TENTHS=600
STOP_TIMEOUT_TENTHS=300

log() { printf '[bench-grpc %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'bench-grpc.sh: %s\n' "$*" >&2; exit 1; }
# shellcheck source=lib/bench-common.sh
source "$REPO_ROOT/scripts/lib/bench-common.sh"

for setting in WARMUP:"$WARMUP" MEASURE:"$MEASURE" ROUNDS:"$ROUNDS" IN_FLIGHT:"$IN_FLIGHT" PORT:"$PORT"; do
  [[ ${setting#*:} =~ ^[0-9]+$ ]] || die "${setting%%:*} must be a whole number, got '${setting#*:}'"
done
(( MEASURE > 0 && ROUNDS > 0 && IN_FLIGHT > 0 )) || die "BENCH_SECONDS, BENCH_ROUNDS and BENCH_IN_FLIGHT must be > 0"
port_free "$GRPC_PORT" || die "port $GRPC_PORT is already in use; choose another with BENCH_PORT"

GATEWAY_PID=""
CHILD_PID=""
cleanup() {
  [ -n "$CHILD_PID" ] && kill "$CHILD_PID" 2>/dev/null || true
  stop_process GATEWAY_PID
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$RUN_DIR"
log "building the gateway jar and the benchmark classes (reactor build, tests skipped)"
# one reactor invocation: the classpath written last is the e2e module's, with this checkout's modules
mvn "${MAVEN_ARGS[@]}" -q -B -pl gateway,src/test -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$RUN_DIR/classpath.txt" >"$RUN_DIR/maven.log" 2>&1 \
  || { tail -n 40 "$RUN_DIR/maven.log" >&2; die "the build failed"; }
CLASSPATH_ALL="src/test/target/test-classes:$(cat "$RUN_DIR/classpath.txt")"

bench_java() {
  local main=$1 out=$2
  shift 2
  run_child java -Xms256m -Xmx1g "$@" -cp "$CLASSPATH_ALL" "dev.modelgate.bench.$main" 2>&1 | tee "$RUN_DIR/$out.log" \
    || die "$main failed (see $RUN_DIR/$out.log)"
}

bench_java ImageBenchModel model -Dbench.dir="$RUN_DIR"
cat >"$RUN_DIR/gateway.yaml" <<YAML
server:
  max_body_bytes: 16777216           # a [1,3,224,224] tensor is about 1.5 MB of JSON
  grpc_max_message_bytes: 16777216
models:
  fraud-score:
    variants:
      v1: {version: "1", backend: {type: onnx, path: "$REPO_ROOT/demo/fraud-score.onnx", instances: 2, device: cpu}}
  image-mean:
    timeout_ms: 5000
    variants:
      v1: {version: "1", backend: {type: onnx, path: "$RUN_DIR/image-mean.onnx", instances: 2, device: cpu}}
YAML

log "gateway on HTTP $PORT and gRPC $GRPC_PORT, telemetry off"
MODELGATE_GRPC_PORT=$GRPC_PORT start_gateway grpc "$JAR" "$RUN_DIR/gateway.yaml" false
bench_java GrpcRestCpuBench result -Dbench.pid="$GATEWAY_PID" -Dbench.restPort="$PORT" -Dbench.grpcPort="$GRPC_PORT" \
  -Dbench.clockTicks="$(getconf CLK_TCK)" -Dbench.warmupSeconds="$WARMUP" -Dbench.seconds="$MEASURE" \
  -Dbench.rounds="$ROUNDS" -Dbench.inFlight="$IN_FLIGHT" -Dbench.out="$RUN_DIR/result.json"
log "results: $RUN_DIR/result.json (revision $(source_revision))"
cat "$RUN_DIR/result.json"
