#!/usr/bin/env bash
# Benchmarks batch scoring (`modelgate.jar score`) against the raw engine in one run and writes the figures
# to bench/BATCH.md: for the demo ONNX model and an XGBoost model trained at the start (xgboost4j),
#   engine   the same engine backend called in-process with ready-made batches of BENCH_BATCH_SIZE rows,
#            BENCH_CONCURRENCY calls in flight, BENCH_INSTANCES instances (EngineThroughputBench; 5 s warm-up);
#   batch    `score` over a BENCH_ROWS-row Parquet file with the same batch size, calls in flight and
#            instances, from a cold JVM: reading (DuckDB), scoring and writing, measured from the first
#            chunk read to the last chunk written (the data-quality pass, when on, comes before: that run
#            is reported end to end). Sinks: a folder of CSV parts; ClickHouse (`batch_predictions`,
#            exactly-once staged inserts); and ClickHouse without the input columns (`sink.features: false`).
# Ratios are against the engine measured in the same run. About 4 minutes with the defaults.
#
# Environment (defaults in brackets):
#   BENCH_ROWS                 rows of the Parquet file                                    [1000000]
#   BENCH_BATCH_SIZE           rows per engine call, engine and batch alike                [1024]
#   BENCH_CONCURRENCY          engine calls in flight, engine and batch alike              [2]
#   BENCH_INSTANCES            engine instances                                            [2]
#   BENCH_CHUNK_ROWS           rows per chunk (checkpoint and insert) of the batch job     [50000]
#   BENCH_XGB_ROUNDS           boosting rounds of the XGBoost model (depth 3, 12 features) [100]
#   BENCH_ENGINE_SECONDS       engine measurement                                          [10]
#   BENCH_CLICKHOUSE_DATABASE  created for the run, dropped afterwards                     [modelgate_bench_batch]
#   BENCH_MAVEN_ARGS           extra Maven arguments (set it empty to let Maven go online) [-o]
#   BENCH_RESULTS_FILE         the markdown report                                         [bench/BATCH.md]
#   MODELGATE_CH_HTTP_PORT     ClickHouse HTTP port, as scripts/services.sh                [8123]
set -euo pipefail
export LC_ALL=C

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

ROWS=${BENCH_ROWS:-1000000}
BATCH=${BENCH_BATCH_SIZE:-1024}
CONCURRENCY=${BENCH_CONCURRENCY:-2}
INSTANCES=${BENCH_INSTANCES:-2}
CHUNK_ROWS=${BENCH_CHUNK_ROWS:-50000}
XGB_ROUNDS=${BENCH_XGB_ROUNDS:-100}
ENGINE_SECONDS=${BENCH_ENGINE_SECONDS:-10}
DATABASE=${BENCH_CLICKHOUSE_DATABASE:-modelgate_bench_batch}
read -r -a MAVEN_ARGS <<< "${BENCH_MAVEN_ARGS--o}"
RESULTS_FILE=${BENCH_RESULTS_FILE:-$REPO_ROOT/bench/BATCH.md}
CLICKHOUSE_URL="http://127.0.0.1:${MODELGATE_CH_HTTP_PORT:-8123}"
JAR=gateway/target/modelgate.jar
RUN_DIR=$REPO_ROOT/.run/bench-batch/$(date -u +%Y%m%dT%H%M%SZ)
FEATURES="[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11]"

log() { printf '%s bench-batch: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "$*"; exit 1; }
# shellcheck source=lib/bench-common.sh
source scripts/lib/bench-common.sh

cleanup() {
  if [ -n "${CHILD_PID:-}" ]; then kill "$CHILD_PID" 2>/dev/null || true; fi
  ch_sql "DROP DATABASE IF EXISTS $DATABASE" >/dev/null 2>&1 || true
}
trap cleanup EXIT

prepare() {
  mkdir -p "$RUN_DIR"
  ch_sql "SELECT 1" >/dev/null || die "ClickHouse does not answer at $CLICKHOUSE_URL (scripts/services.sh start)"
  if [ ! -f "$JAR" ]; then
    log "building $JAR (tests skipped)"
    mvn "${MAVEN_ARGS[@]}" -q -B -pl gateway -am package -DskipTests
  fi
  cp "$JAR" "$RUN_DIR/modelgate.jar"
  compile_benchmarks
}

gateway_config() {  # the two models, each taking the twelve columns as its input
  cat <<YAML
models:
  onnx:
    timeout_ms: 10000
    variants:
      v1:
        backend: {type: onnx, path: "$REPO_ROOT/demo/fraud-score.onnx", instances: $INSTANCES}
        feature_names: {features: $FEATURES}
  xgb:
    timeout_ms: 10000
    variants:
      v1:
        backend: {type: xgboost, path: "$RUN_DIR/xgboost/xgboost-bench.json", instances: $INSTANCES}
        feature_names: {input__0: $FEATURES}
clickhouse: {url: $CLICKHOUSE_URL, database: $DATABASE}
telemetry: {spool_dir: "$RUN_DIR/spool"}
YAML
}

# score_run NAME MODEL SINK QUALITY: one `score` job; prints "rows_per_second scoring_seconds seconds" of its summary
score_run() {
  local name=$1 model=$2 sink=$3 quality=$4
  cat >"$RUN_DIR/$name.yaml" <<YAML
id: bench-$name-$(date +%s%N)
model: $model
key_column: id
source: {type: parquet, path: "$RUN_DIR/data.parquet"}
sink: $sink
batch_size: $BATCH
chunk_rows: $CHUNK_ROWS
concurrency: $CONCURRENCY
quality: {enabled: $quality, drift: "off"}
YAML
  run_child java -Xms512m -Xmx2g -jar "$RUN_DIR/modelgate.jar" score --config "$RUN_DIR/gateway.yaml" --job "$RUN_DIR/$name.yaml" \
    >"$RUN_DIR/$name.json" 2>"$RUN_DIR/$name.err" || { tail -n 20 "$RUN_DIR/$name.err" >&2; die "score $name failed"; }
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["rows_scored"] == int(sys.argv[2]), d; print(d["rows_per_second"], d["scoring_seconds"], d["seconds"])' \
    "$RUN_DIR/$name.json" "$ROWS"
}

engine_run() {  # engine_run KIND: rows/s of the engine in-process
  local kind=$1 files=()
  if [ "$kind" = xgb ]; then
    files=(-Dbench.engine=xgboost -Dbench.model="$RUN_DIR/xgboost/xgboost-bench.json"
           -Dbench.examples="$RUN_DIR/xgboost/xgboost-bench-examples.json")
  fi
  bench_java EngineThroughputBench "engine-$kind" -Dbench.instances="$INSTANCES" -Dbench.inFlight="$CONCURRENCY" \
    -Dbench.batchSizes="$BATCH" -Dbench.warmupSeconds=5 -Dbench.seconds="$ENGINE_SECONDS" ${files[@]+"${files[@]}"}
  value "engine-$kind.properties" "engine.batch$BATCH.rows_per_s"
}

main() {
  prepare
  log "generating $ROWS rows of Parquet (DuckDB)"
  # DuckDB's driver comes with the jar (the benchmark class path is the e2e module's, from the local repository)
  bench_java BatchBenchData data --cp "$RUN_DIR/modelgate.jar" -Dbench.file="$RUN_DIR/data.parquet" -Dbench.rows="$ROWS"
  log "training the XGBoost model ($XGB_ROUNDS rounds)"
  bench_java XgboostBenchModel xgboost-training --cp "$(cat "$RUN_DIR/training-classpath.txt")" \
    -Dbench.dir="$RUN_DIR/xgboost" -Dbench.rounds="$XGB_ROUNDS"
  gateway_config >"$RUN_DIR/gateway.yaml"
  local kind engine folder folder_q ch ch_lean rows=()
  for kind in onnx xgb; do
    log "$kind: the engine in-process, batches of $BATCH, $CONCURRENCY in flight, $INSTANCES instances"
    engine=$(engine_run "$kind")
    log "$kind: score to a folder"
    folder=$(score_run "$kind-folder" "$kind" "{folder: \"$RUN_DIR/out\"}" false)
    log "$kind: score to a folder, data-quality pass on"
    folder_q=$(score_run "$kind-folder-quality" "$kind" "{folder: \"$RUN_DIR/out\"}" true)
    log "$kind: score to ClickHouse"
    ch=$(score_run "$kind-clickhouse" "$kind" "{clickhouse_table: batch_predictions}" false)
    log "$kind: score to ClickHouse without the input columns"
    ch_lean=$(score_run "$kind-clickhouse-lean" "$kind" "{clickhouse_table: batch_predictions, features: false}" false)
    rows+=("$kind|$engine|$folder|$folder_q|$ch|$ch_lean")
  done
  report "${rows[@]}" | tee "$RESULTS_FILE"
}

ratio() { calc '%.2f' "$1 / $2"; }

report() {
  local line kind engine folder folder_q ch ch_lean end_to_end
  cat <<MD
# Batch scoring vs the raw engine

Generated by \`scripts/bench-batch.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)).
$ROWS rows of Parquet, batches of $BATCH rows, $CONCURRENCY calls in flight, $INSTANCES engine instances, chunks of $CHUNK_ROWS rows.
Batch rows/s run from the first chunk read to the last chunk written, in a cold JVM; the engine's follow a 5 s warm-up.
"end to end, quality on" is rows / the whole job (the data-quality pass reading every row, then scoring; JVM start and model load excluded).

| model | engine rows/s | batch → folder | ratio | end to end, quality on | ratio | batch → ClickHouse | ratio | → ClickHouse, no input columns | ratio |
|---|---|---|---|---|---|---|---|---|---|
MD
  for line in "$@"; do
    IFS='|' read -r kind engine folder folder_q ch ch_lean <<<"$line"
    end_to_end=$(calc '%.0f' "$ROWS / $(cut -d' ' -f3 <<<"$folder_q")")
    printf '| %s | %.0f | %s | **%s** | %s | %s | %s | **%s** | %s | %s |\n' "$kind" "$engine" \
      "${folder%% *}" "$(ratio "${folder%% *}" "$engine")" "$end_to_end" "$(ratio "$end_to_end" "$engine")" \
      "${ch%% *}" "$(ratio "${ch%% *}" "$engine")" "${ch_lean%% *}" "$(ratio "${ch_lean%% *}" "$engine")"
  done
  printf '\nRaw files: %s\n' "${RUN_DIR#"$REPO_ROOT"/}"
}

main "$@"
