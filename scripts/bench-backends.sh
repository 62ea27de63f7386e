#!/usr/bin/env bash
# Benchmarks ModelGate's backends on this machine in one run and writes the figures to bench/BACKENDS.md:
#   1. local dynamic batching: rows/s of the gateway serving many concurrent single-row requests (wrk),
#      batching ON vs OFF, for three models of increasing cost per row: the demo ONNX model, an XGBoost
#      model trained at the start (xgboost4j) and an ONNX multilayer perceptron generated at the start,
#      against the same engine backend called in-process with ready-made batches of the size the
#      gateway actually formed (and of max_batch_size), with the gateway stopped;
#   2. remote proxy: the gateway (A/B routing and ClickHouse logging ON) proxying a KServe-v2 backend vs
#      nginx (keep-alive upstream) proxying the same backend vs a bare Vert.x 5 proxy (BareVertxProxy: the
#      gateway's transport and event loops, no work: the JVM/Vert.x ceiling) vs the backend called
#      directly. The backend is nginx itself answering a static KServe-v2 JSON, so it is never the
#      bottleneck. wrk at full load for requests/s, then the open-loop driver at a low constant rate for
#      the latency each hop adds.
# Ratios are against baselines measured in the same run. Everything listens on 127.0.0.1; the script stops
# whatever it started (trap), also on Ctrl-C. About 7 minutes with the defaults.
#
# usage: scripts/bench-backends.sh [batching|proxy|all]     (default: all)
#
# Environment (defaults in brackets):
#   BENCH_WARMUP_SECONDS       full-load warm-up of a fresh gateway process                          [30]
#   BENCH_SECONDS              each wrk measurement                                                   [15]
#   BENCH_SETTLE_SECONDS       full-load warm-up of each further model or proxy before its wrk run    [5]
#   BENCH_CONNECTIONS          wrk connections                                                        [64]
#   BENCH_WRK_THREADS          wrk threads                                                            [1]
#   BENCH_MAX_BATCH_SIZE       batching: max_batch_size of the batched variants                       [32]
#   BENCH_MAX_QUEUE_DELAY_MS   batching: max_queue_delay_ms                                           [1]
#   BENCH_INSTANCES            engine instances (worker threads), gateway and in-process alike        [2]
#   BENCH_XGB_ROUNDS           boosting rounds of the XGBoost model (depth 3, 12 features)            [100]
#   BENCH_MLP_HIDDEN           units per hidden layer of the ONNX MLP (12 features, ReLU, sigmoid)    [512]
#   BENCH_MLP_LAYERS           hidden layers of the ONNX MLP                                          [2]
#   BENCH_ENGINE_SECONDS       in-process engine measurement per batch size (after 3 s warm-up)       [5]
#   BENCH_BATCHING_LOGGING     batching part with telemetry to ClickHouse (true/false)                [false]
#   BENCH_RATE                 proxy part: open-loop rate for the unloaded latency, requests/s        [200]
#   BENCH_LATENCY_SECONDS      proxy part: open-loop measurement, all paths at once (after 10 s)      [20]
#   BENCH_PROFILE              proxy part: record the gateway with JFR and list its hottest frames    [false]
#   BENCH_PORT                 gateway port; the backend, nginx and bare proxies use the next three   [18080]
#   BENCH_CLICKHOUSE_DATABASE  created by the gateway for the run, dropped afterwards                 [modelgate_bench]
#   BENCH_GATEWAY_JAVA_OPTS    JVM options of the gateway                                             [-Xms256m -Xmx1g]
#   BENCH_MAVEN_ARGS           extra Maven arguments (set it empty to let Maven go online)            [-o]
#   BENCH_RESULTS_FILE         the markdown report                                                    [bench/BACKENDS.md]
#   MODELGATE_CH_HTTP_PORT     ClickHouse HTTP port, as scripts/services.sh                           [8123]
set -euo pipefail
export LC_ALL=C   # decimal points in awk and printf

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

PARTS=${1:-all}
WARMUP=${BENCH_WARMUP_SECONDS:-30}
MEASURE=${BENCH_SECONDS:-15}
SETTLE=${BENCH_SETTLE_SECONDS:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-1}
MAX_BATCH=${BENCH_MAX_BATCH_SIZE:-32}
QUEUE_DELAY_MS=${BENCH_MAX_QUEUE_DELAY_MS:-1}
INSTANCES=${BENCH_INSTANCES:-2}
XGB_ROUNDS=${BENCH_XGB_ROUNDS:-100}
MLP_HIDDEN=${BENCH_MLP_HIDDEN:-512}
MLP_LAYERS=${BENCH_MLP_LAYERS:-2}
ENGINE_SECONDS=${BENCH_ENGINE_SECONDS:-5}
BATCHING_LOGGING=${BENCH_BATCHING_LOGGING:-false}
RATE=${BENCH_RATE:-200}
LATENCY_SECONDS=${BENCH_LATENCY_SECONDS:-20}
PROFILE=${BENCH_PROFILE:-false}
PORT=${BENCH_PORT:-18080}
BACKEND_PORT=$((PORT + 1))
NGINX_PORT=$((PORT + 2))
BARE_PORT=$((PORT + 3))
DATABASE=${BENCH_CLICKHOUSE_DATABASE:-modelgate_bench}
read -r -a GATEWAY_JAVA_OPTS <<< "${BENCH_GATEWAY_JAVA_OPTS:--Xms256m -Xmx1g}"
read -r -a MAVEN_ARGS <<< "${BENCH_MAVEN_ARGS--o}"
RESULTS_FILE=${BENCH_RESULTS_FILE:-$REPO_ROOT/bench/BACKENDS.md}
CLICKHOUSE_URL="http://127.0.0.1:${MODELGATE_CH_HTTP_PORT:-8123}"

JAR=gateway/target/modelgate.jar
RUN_DIR=$REPO_ROOT/.run/bench-backends/$(date -u +%Y%m%dT%H%M%SZ)
ENGINE_WARMUP=3
IN_FLIGHT=$((4 * INSTANCES))
LATENCY_WARMUP=10
READY_TIMEOUT_TENTHS=900   # 90 s for the gateway to load its models and listen
STOP_TIMEOUT_TENTHS=300    # 30 s of SIGTERM (drain + final flush) before SIGKILL
# The batching part's models, cheapest per row first; each is served twice, as <kind>-batched and <kind>-direct,
# and compared with its engine in-process at the batch size the gateway formed on average and at max_batch_size.
BATCHING_KINDS=(onnx xgb mlp)

log() { printf '[bench-backends %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'bench-backends.sh: %s\n' "$*" >&2; exit 1; }
# shellcheck source=lib/bench-common.sh
source "$REPO_ROOT/scripts/lib/bench-common.sh"

case $PARTS in batching|proxy|all) ;; *) die "usage: scripts/bench-backends.sh [batching|proxy|all], got '$PARTS'" ;; esac
for setting in WARMUP:"$WARMUP" MEASURE:"$MEASURE" SETTLE:"$SETTLE" CONNECTIONS:"$CONNECTIONS" WRK_THREADS:"$WRK_THREADS" \
               MAX_BATCH:"$MAX_BATCH" QUEUE_DELAY_MS:"$QUEUE_DELAY_MS" INSTANCES:"$INSTANCES" XGB_ROUNDS:"$XGB_ROUNDS" \
               MLP_HIDDEN:"$MLP_HIDDEN" MLP_LAYERS:"$MLP_LAYERS" \
               ENGINE_SECONDS:"$ENGINE_SECONDS" RATE:"$RATE" LATENCY_SECONDS:"$LATENCY_SECONDS" PORT:"$PORT"; do
  [[ ${setting#*:} =~ ^[0-9]+$ ]] || die "${setting%%:*} must be a whole number, got '${setting#*:}'"
done
(( MEASURE > 0 && CONNECTIONS > 0 && WRK_THREADS > 0 && MAX_BATCH > 0 && QUEUE_DELAY_MS > 0 && INSTANCES > 0 \
   && XGB_ROUNDS > 0 && MLP_HIDDEN > 0 && MLP_LAYERS > 0 && ENGINE_SECONDS > 0 && RATE > 0 && LATENCY_SECONDS > 0 )) \
  || die "every BENCH_* count and duration except the warm-ups must be > 0"
for flag in BATCHING_LOGGING:"$BATCHING_LOGGING" PROFILE:"$PROFILE"; do
  [[ ${flag#*:} == true || ${flag#*:} == false ]] || die "${flag%%:*} must be true or false, got '${flag#*:}'"
done
[[ $DATABASE =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "BENCH_CLICKHOUSE_DATABASE must be a plain identifier, got '$DATABASE'"

# ---- what this run started, and how to stop it -------------------------------------------------
GATEWAY_PID=""
NGINX_PID=""
BARE_PID=""
CHILD_PID=""
STARTED_CLICKHOUSE=false

# Children run in the background and are waited for, so that a signal reaches the trap at once.

cleanup() {
  local status=$?
  set +e   # clean up as much as possible, whatever fails
  trap - EXIT INT TERM
  if [ -n "$CHILD_PID" ]; then
    kill -TERM "$CHILD_PID" 2>/dev/null
    wait "$CHILD_PID" 2>/dev/null
  fi
  stop_process GATEWAY_PID
  stop_process NGINX_PID
  stop_process BARE_PID
  if $STARTED_CLICKHOUSE || [[ $(scripts/services.sh status clickhouse 2>/dev/null) == *": running"* ]]; then
    ch_sql "DROP DATABASE IF EXISTS $DATABASE" >/dev/null 2>&1
  fi
  if $STARTED_CLICKHOUSE; then scripts/services.sh stop clickhouse; fi
  rm -f "$RUN_DIR/modelgate.jar"
  [ "$status" -eq 0 ] || log "failed; logs are in ${RUN_DIR#"$REPO_ROOT"/}"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- preparation: tools, jar, classpath ---------------------------------------------------------

prepare() {
  mkdir -p "$RUN_DIR"
  install_missing wrk nginx
  require_free_ports "$PORT" "$BACKEND_PORT" "$NGINX_PORT" "$BARE_PORT"
  if [ ! -f "$JAR" ]; then
    log "building $JAR (mvn install, tests skipped)"
    mvn "${MAVEN_ARGS[@]}" -q -B install -DskipTests
  fi
  # A private copy: a build running meanwhile must not swap the jar between the two gateway processes.
  cp "$JAR" "$RUN_DIR/modelgate.jar"
  compile_benchmarks
}

ensure_clickhouse() {
  [[ $(scripts/services.sh status clickhouse) == *": running"* ]] && { log "ClickHouse already running: using it"; return 0; }
  scripts/services.sh start clickhouse
  STARTED_CLICKHOUSE=true
}

# ---- the gateway ------------------------------------------------------------------------------------
# ---- part 1: dynamic batching -----------------------------------------------------------------------
# kind_engine KIND / kind_model KIND / kind_examples KIND: how each batching model is served and checked.
kind_engine() { case $1 in xgb) echo xgboost ;; *) echo onnx ;; esac; }
kind_model() {
  case $1 in
    onnx) echo "$REPO_ROOT/demo/fraud-score.onnx" ;;
    xgb) echo "$RUN_DIR/xgboost/xgboost-bench.json" ;;
    mlp) echo "$RUN_DIR/mlp/mlp-bench.onnx" ;;
  esac
}
kind_examples() {
  case $1 in
    onnx) echo "$REPO_ROOT/demo/fraud-score.json" ;;
    xgb) echo "$RUN_DIR/xgboost/xgboost-bench-examples.json" ;;
    mlp) echo "$RUN_DIR/mlp/mlp-bench-examples.json" ;;
  esac
}
# kind_files KIND: -Dbench.model/-Dbench.examples for the Java benchmarks; none for the demo, which they know.
kind_files() {
  [ "$1" = onnx ] || printf '%s\n' "-Dbench.model=$(kind_model "$1")" "-Dbench.examples=$(kind_examples "$1")"
}

batching_config() {
  local kind variant
  cat <<EOF
# Generated by scripts/bench-backends.sh: every model twice, with and without batching.
server: {host: 127.0.0.1, port: $PORT, max_body_bytes: 1048576, request_timeout_ms: 5000}
models:
EOF
  for kind in "${BATCHING_KINDS[@]}"; do
    for variant in batched direct; do
      printf '  %s-%s:\n    timeout_ms: 5000\n    variants:\n      v1:\n' "$kind" "$variant"
      printf '        backend: {type: %s, path: "%s", instances: %d}\n' "$(kind_engine "$kind")" "$(kind_model "$kind")" "$INSTANCES"
      if [ "$variant" = batched ]; then
        printf '        batching: {max_batch_size: %d, max_queue_delay_ms: %d, max_queue_size: 100000}\n' "$MAX_BATCH" "$QUEUE_DELAY_MS"
      fi
    done
  done
  cat <<EOF
clickhouse: {url: $CLICKHOUSE_URL, database: $DATABASE}
telemetry: {spool_dir: "$RUN_DIR/spool-batching"}
EOF
}

run_batching() {
  local kind variant model files examples warmup rows0 batches0 mean_batch sizes
  log "batching: training the XGBoost model ($XGB_ROUNDS rounds) with xgboost4j"
  bench_java XgboostBenchModel xgboost-training --cp "$(cat "$RUN_DIR/training-classpath.txt")" \
    -Dbench.dir="$RUN_DIR/xgboost" -Dbench.rounds="$XGB_ROUNDS"
  log "batching: generating the ONNX MLP ($MLP_LAYERS hidden layers of $MLP_HIDDEN units)"
  bench_java MlpBenchModel mlp-generation -Dbench.dir="$RUN_DIR/mlp" -Dbench.hidden="$MLP_HIDDEN" -Dbench.layers="$MLP_LAYERS"
  batching_config >"$RUN_DIR/batching.yaml"
  if $BATCHING_LOGGING; then ensure_clickhouse; fi
  log "batching: starting the gateway (${#BATCHING_KINDS[@]} models, batching on and off), then per model ${SETTLE} s settle + ${MEASURE} s of wrk, $CONNECTIONS connections"
  start_gateway batching "$RUN_DIR/modelgate.jar" "$RUN_DIR/batching.yaml" "$BATCHING_LOGGING"
  warmup=$WARMUP   # the first model also warms the shared HTTP path up
  for kind in "${BATCHING_KINDS[@]}"; do
    mapfile -t files < <(kind_files "$kind")
    examples=$(kind_examples "$kind")
    for variant in batched direct; do
      model=$kind-$variant
      bench_java GatewayScoreCheck "check-$model" -Dbench.url="http://127.0.0.1:$PORT/v2/models/$model/infer" ${files[@]+"${files[@]}"}
      wrk_run "wrk-$model-warmup" "$((warmup + SETTLE))" "http://127.0.0.1:$PORT/v2/models/$model/infer" "$examples"
      warmup=0
      rows0=$(metric_sum modelgate_batch_rows_sum "model=\"$model\"")
      batches0=$(metric_sum modelgate_batch_rows_count "model=\"$model\"")
      wrk_run "wrk-$model" "$MEASURE" "http://127.0.0.1:$PORT/v2/models/$model/infer" "$examples" "$GATEWAY_PID"
      if [ "$variant" = batched ]; then
        mean_batch=$(awk -v r="$(( $(metric_sum modelgate_batch_rows_sum "model=\"$model\"") - rows0 ))" \
          -v b="$(( $(metric_sum modelgate_batch_rows_count "model=\"$model\"") - batches0 ))" \
          'BEGIN { printf "%.2f", (b > 0 ? r / b : 0) }')
        printf 'mean_batch=%s\n' "$mean_batch" >>"$RUN_DIR/wrk-$model.txt"
      fi
    done
  done
  stop_process GATEWAY_PID

  for kind in "${BATCHING_KINDS[@]}"; do
    mapfile -t files < <(kind_files "$kind")
    mean_batch=$(value "wrk-$kind-batched.txt" mean_batch)
    sizes=$(awk -v m="$mean_batch" -v max="$MAX_BATCH" 'BEGIN { r = int(m + 0.5); if (r < 1) r = 1;
      printf "1"; if (r > 1 && r != max) printf ",%d", r; if (max > 1) printf ",%d", max }')
    log "batching: the $kind model's backend in-process, batch sizes $sizes, ${ENGINE_WARMUP} s warm-up + ${ENGINE_SECONDS} s each"
    bench_java EngineThroughputBench "engine-$kind" -Dbench.engine="$(kind_engine "$kind")" ${files[@]+"${files[@]}"} \
      -Dbench.instances="$INSTANCES" -Dbench.inFlight="$IN_FLIGHT" -Dbench.batchSizes="$sizes" \
      -Dbench.warmupSeconds="$ENGINE_WARMUP" -Dbench.seconds="$ENGINE_SECONDS"
  done
}

# ---- part 2: remote proxy ---------------------------------------------------------------------------
# One nginx: the KServe-v2 backend (static answers) and, on its own port, a keep-alive proxy to it.
nginx_config() {
  echo "# Generated by scripts/bench-backends.sh."
  nginx_conf "$RUN_DIR/nginx" "$(kserve_static_server "$BACKEND_PORT")
  upstream kserve_backend {
    server 127.0.0.1:$BACKEND_PORT;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://kserve_backend;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
    }
  }"
}

start_nginx() {
  mkdir -p "$RUN_DIR/nginx"
  nginx_config >"$RUN_DIR/nginx/nginx.conf"
  nginx -t -q -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf" 2>"$RUN_DIR/nginx/check.log" \
    || { cat "$RUN_DIR/nginx/check.log" >&2; die "nginx rejects its configuration"; }
  nginx -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf" -g 'daemon off;' >"$RUN_DIR/nginx/stdout.log" 2>&1 &
  NGINX_PID=$!
  wait_ready "$NGINX_PID" "http://127.0.0.1:$NGINX_PORT/v2/models/m/ready" 100 && return 0
  cat "$RUN_DIR/nginx/error.log" >&2
  die "nginx did not start"
}

# The ceiling: BareVertxProxy with the gateway's JVM options, event loops and backend pool size.
start_bare_proxy() {
  java "${GATEWAY_JAVA_OPTS[@]}" -Dbench.port="$BARE_PORT" -Dbench.backend="http://127.0.0.1:$BACKEND_PORT" \
    -Dbench.connections="$CONNECTIONS" -cp "$RUN_DIR/classes:$(cat "$RUN_DIR/classpath.txt")" \
    dev.modelgate.bench.BareVertxProxy >"$RUN_DIR/bare-proxy.log" 2>&1 &
  BARE_PID=$!
  wait_ready "$BARE_PID" "http://127.0.0.1:$BARE_PORT/v2/models/m/ready" 300 && return 0
  tail -n 30 "$RUN_DIR/bare-proxy.log" >&2
  die "the bare Vert.x proxy did not start"
}

proxy_config() {
  cat <<EOF
# Generated by scripts/bench-backends.sh: an A/B test between two variants served by the same KServe-v2 backend.
server: {host: 127.0.0.1, port: $PORT, max_body_bytes: 1048576, request_timeout_ms: 2000}
models:
  m:
    default_variant: a
    timeout_ms: 1000
    score_output: fraud_probability
    variants:
      a: {backend: {type: kserve, url: "http://127.0.0.1:$BACKEND_PORT", model: m, max_connections: $CONNECTIONS}}
      b: {backend: {type: kserve, url: "http://127.0.0.1:$BACKEND_PORT", model: m, max_connections: $CONNECTIONS}}
experiments:
  specs:
    - {name: m-ab, model: m, kind: ab, variants: [{name: a, weight: 50}, {name: b, weight: 50}]}
clickhouse: {url: $CLICKHOUSE_URL, database: $DATABASE}
telemetry: {spool_dir: "$RUN_DIR/spool-proxy"}
EOF
}

run_proxy() {
  local path="/v2/models/m/infer" examples="$REPO_ROOT/demo/fraud-score.json" jfr_opts=()
  ensure_clickhouse
  ch_sql "DROP DATABASE IF EXISTS $DATABASE" >/dev/null
  start_nginx
  start_bare_proxy
  proxy_config >"$RUN_DIR/proxy.yaml"
  if $PROFILE; then
    jfr_opts=(-XX:StartFlightRecording=filename="$RUN_DIR/gateway-proxy.jfr",settings=profile,dumponexit=true)
  fi
  log "proxy: starting the gateway (routing + logging ON), ${WARMUP} s warm-up then ${MEASURE} s of wrk per path"
  start_gateway proxy "$RUN_DIR/modelgate.jar" "$RUN_DIR/proxy.yaml" true "${jfr_opts[@]}"
  wrk_run wrk-gateway-warmup "$WARMUP" "http://127.0.0.1:$PORT$path" "$examples"
  wrk_run wrk-gateway "$MEASURE" "http://127.0.0.1:$PORT$path" "$examples" "$GATEWAY_PID"
  wrk_run wrk-nginx-warmup "$SETTLE" "http://127.0.0.1:$NGINX_PORT$path" "$examples"
  wrk_run wrk-nginx "$MEASURE" "http://127.0.0.1:$NGINX_PORT$path" "$examples" "$NGINX_PID"
  wrk_run wrk-direct-warmup "$SETTLE" "http://127.0.0.1:$BACKEND_PORT$path" "$examples"
  wrk_run wrk-direct "$MEASURE" "http://127.0.0.1:$BACKEND_PORT$path" "$examples" "$NGINX_PID"
  # a fresh JVM like the gateway: the same full-load warm-up before its measurement
  wrk_run wrk-bare-warmup "$WARMUP" "http://127.0.0.1:$BARE_PORT$path" "$examples"
  wrk_run wrk-bare "$MEASURE" "http://127.0.0.1:$BARE_PORT$path" "$examples" "$BARE_PID"

  log "proxy: open loop at $RATE requests/s per path, all four at once, ${LATENCY_WARMUP} s warm-up + ${LATENCY_SECONDS} s"
  bench_java HttpLatencyBench latency -Dbench.rate="$RATE" \
    -Dbench.targets="direct=http://127.0.0.1:$BACKEND_PORT$path,nginx=http://127.0.0.1:$NGINX_PORT$path,bare=http://127.0.0.1:$BARE_PORT$path,gateway=http://127.0.0.1:$PORT$path" \
    -Dbench.warmupSeconds="$LATENCY_WARMUP" -Dbench.seconds="$LATENCY_SECONDS"
  SERVED=$(metric_sum modelgate_requests_seconds_count || echo unknown)
  DROPPED=$(metric_sum modelgate_events_dropped_total || echo unknown)
  stop_process GATEWAY_PID   # SIGTERM flushes the last batch, so the row count below is final
  LOGGED=$(ch_sql "SELECT count() FROM $DATABASE.predictions" || echo unknown)
  stop_process BARE_PID
  stop_process NGINX_PID
  if $PROFILE; then hot_frames >"$RUN_DIR/hot-frames.txt"; fi
}

# The gateway's hottest frames (top of stack) and its hottest dev.modelgate frames anywhere in the stack.
hot_frames() {
  # jfr prints 5 frames per stack unless told otherwise: too few to find dev.modelgate frames under Vert.x's.
  # The lists are cut with awk, not head: head leaving early would kill sort with SIGPIPE (pipefail).
  jfr print --stack-depth 128 --events jdk.ExecutionSample "$RUN_DIR/gateway-proxy.jfr" >"$RUN_DIR/samples.txt" || return 0
  local total
  total=$(grep -c 'jdk.ExecutionSample' "$RUN_DIR/samples.txt")
  printf 'JFR execution samples: %s\n\nTop-of-stack frames (share of samples):\n' "$total"
  awk '/stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); print }' "$RUN_DIR/samples.txt" \
    | sort | uniq -c | sort -rn | awk 'NR <= 25' | awk -v t="$total" '{ c = $1; $1 = ""; printf "%5.1f %%%s\n", 100 * c / t, $0 }'
  printf '\ndev.modelgate frames anywhere in the stack (share of samples):\n'
  awk '/jdk.ExecutionSample/ { delete seen } /^[ \t]+dev\.modelgate\./ { f = $1; sub(/\(.*/, "", f);
        if (!(f in seen)) { seen[f] = 1; print f } }' "$RUN_DIR/samples.txt" \
    | sort | uniq -c | sort -rn | awk 'NR <= 25' | awk -v t="$total" '{ printf "%5.1f %% %s\n", 100 * $1 / t, $2 }'
}

# ---- report -------------------------------------------------------------------------------------
# calc FORMAT EXPRESSION: floating-point arithmetic that bash lacks.

report_header() {
  local cores cpu
  cores=$(nproc)
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  cat <<EOF
# ModelGate backend benchmarks

$(date -u '+%Y-%m-%d %H:%M UTC'), commit $REVISION. Machine: $cores cores ($cpu), $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM,
load average $LOAD_AT_START at the start and $(cut -d' ' -f1-3 /proc/loadavg) at the end (1, 5, 15 min). The machine is shared:
other builds may have run meanwhile, so treat single figures as indicative and compare ratios, which come from the same run.
The gateway, nginx, wrk and the in-process benchmarks all share the same $cores cores (wrk: $WRK_THREADS thread, $CONNECTIONS connections).

Command: \`BENCH_WARMUP_SECONDS=$WARMUP BENCH_SECONDS=$MEASURE BENCH_SETTLE_SECONDS=$SETTLE BENCH_CONNECTIONS=$CONNECTIONS BENCH_MAX_BATCH_SIZE=$MAX_BATCH BENCH_MAX_QUEUE_DELAY_MS=$QUEUE_DELAY_MS BENCH_INSTANCES=$INSTANCES BENCH_XGB_ROUNDS=$XGB_ROUNDS BENCH_MLP_HIDDEN=$MLP_HIDDEN BENCH_MLP_LAYERS=$MLP_LAYERS BENCH_RATE=$RATE scripts/bench-backends.sh $PARTS\`
(raw figures and logs: \`${RUN_DIR#"$REPO_ROOT"/}\`).
EOF
}

# wrk's rate of successful requests: every request carries one row.
ok_rps() {
  calc '%.0f' "$(value "$1" rps) * ($(value "$1" requests) - $(value "$1" errors)) / $(value "$1" requests)"
}

report_batching() {
  local kind rows direct_rows mean_batch engine_file size at_mean
  cat <<EOF

## 1. Local dynamic batching: gateway rows/s vs the engine in-process

One gateway process, logging $( $BATCHING_LOGGING && echo ON || echo OFF ), serving three models of increasing cost per row, each with and without
\`batching: {max_batch_size: $MAX_BATCH, max_queue_delay_ms: $QUEUE_DELAY_MS}\`, $INSTANCES engine instances:
- \`onnx\`: the demo ONNX model (\`fraud-score\`, logistic regression on 12 features);
- \`xgb\`: an XGBoost model trained at the start with xgboost4j ($XGB_ROUNDS rounds, depth 3, 12 features, \`binary:logistic\`);
- \`mlp\`: an ONNX multilayer perceptron generated at the start (12 features, $MLP_LAYERS hidden layers of $MLP_HIDDEN units, ReLU, sigmoid).

Load: wrk, $CONNECTIONS connections, each request one row, ${MEASURE} s per model after ${WARMUP} s (first model) + ${SETTLE} s of
full-load warm-up. "Mean batch" is the rows per executed batch during the measurement (\`modelgate_batch_rows\`). The engine
columns are the same backend class the gateway uses (OnnxRuntimeBackend / XgboostBackend, $INSTANCES instances, $IN_FLIGHT calls in
flight back to back so no worker idles), called in-process with ready-made batches, the gateway stopped, ${ENGINE_WARMUP} s warm-up +
${ENGINE_SECONDS} s per batch size; "engine µs per row" is the engine's time per row and instance at batch $MAX_BATCH. Every path
(gateway and in-process) is checked against expected scores first: the demo's formula, xgboost4j's own predictions, the MLP's
function computed in double-precision Java. "Gateway CPU µs per row" is the gateway process's user + system time (/proc)
during the window ÷ rows answered (every request is one row), engines included.

| model | engine µs per row | gateway, batching OFF rows/s | gateway CPU µs per row, OFF | gateway, batching ON rows/s | gateway CPU µs per row, ON | mean batch | ON / OFF | engine at batch 1 rows/s | engine at the mean batch rows/s | **gateway ON / engine at the same batch** | engine at batch $MAX_BATCH rows/s |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
EOF
  for kind in "${BATCHING_KINDS[@]}"; do
    rows=$(ok_rps "wrk-$kind-batched.txt")
    direct_rows=$(ok_rps "wrk-$kind-direct.txt")
    mean_batch=$(value "wrk-$kind-batched.txt" mean_batch)
    engine_file="engine-$kind.properties"
    size=$(awk -v m="$mean_batch" 'BEGIN { r = int(m + 0.5); print r < 1 ? 1 : r }')
    at_mean=$(value "$engine_file" "engine.batch$size.rows_per_s")
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s (batch %d) | **%s** | %s |\n' "$kind" \
      "$(calc '%.1f' "1e6 * $INSTANCES / $(value "$engine_file" "engine.batch$MAX_BATCH.rows_per_s")")" \
      "$direct_rows" "$(value "wrk-$kind-direct.txt" cpu_us_per_request)" \
      "$rows" "$(value "wrk-$kind-batched.txt" cpu_us_per_request)" "$mean_batch" \
      "$(calc '%.2f' "$rows / $direct_rows")" "$(calc '%.0f' "$(value "$engine_file" engine.batch1.rows_per_s)")" \
      "$(calc '%.0f' "$at_mean")" "$size" "$(calc '%.1f %%' "100 * $rows / $at_mean")" \
      "$(calc '%.0f' "$(value "$engine_file" "engine.batch$MAX_BATCH.rows_per_s")")"
  done
  printf '\nTarget: gateway with batching ≥ 50 %% of the engine at the same batch size. wrk errors (non-2xx, timeouts): %s.\n' \
    "$(for kind in "${BATCHING_KINDS[@]}"; do for variant in batched direct; do
         printf '%s %s, ' "$kind-$variant" "$(value "wrk-$kind-$variant.txt" errors)"; done; done | sed 's/, $//')"
}

latency_row() {
  local label=$1 prefix=$2
  printf '| %s | %.0f | %.0f | %.0f | %.0f | %d | %.0f |' "$label" \
    "$(value latency.properties "$prefix.p50_us")" "$(value latency.properties "$prefix.p99_us")" \
    "$(value latency.properties "$prefix.p999_us")" "$(value latency.properties "$prefix.max_us")" \
    "$(( $(value latency.properties "$prefix.failed") + $(value latency.properties "$prefix.unfinished") ))" \
    "$(value latency.properties "$prefix.send_lag_p99_us")"
}

report_proxy() {
  local gateway nginx bare direct p50 p99
  gateway=$(ok_rps wrk-gateway.txt)
  nginx=$(ok_rps wrk-nginx.txt)
  bare=$(ok_rps wrk-bare.txt)
  direct=$(ok_rps wrk-direct.txt)
  cat <<EOF

## 2. Remote proxy: gateway vs nginx in front of the same KServe-v2 backend

Backend: nginx answering \`POST /v2/models/m/infer\` with a static KServe-v2 JSON (plus the metadata and ready endpoints the
gateway reads at start), port $BACKEND_PORT. nginx proxy: same nginx process (\`worker_processes auto\`), own port, \`keepalive 64\`
upstream, HTTP/1.1. Bare Vert.x proxy (\`BareVertxProxy\`, port $BARE_PORT): the gateway's JVM options, native epoll transport,
event loops and listener count, a keep-alive pool of $CONNECTIONS connections split between its listeners, and no work at all (body
bytes forwarded, answer returned unchanged): the ceiling of a Vert.x proxy on this machine, ${WARMUP} s of full-load warm-up like the
gateway. Gateway: model \`m\`, an A/B test (50/50, random assignment: no unit id) between two \`type: kserve\`
variants on that backend, telemetry to ClickHouse ON, same demo request body (12 FP32 features) for all four.

CPU µs per request: user + system time (/proc) of the proxy's process during its window ÷ requests. nginx proxies and answers
as the backend in one process, so its row is the nginx total minus the backend's own cost per request (the "backend
directly" window).

| path | requests/s (wrk, full load) | CPU µs per request | p50 ms | p99 ms | errors |
|---|---:|---:|---:|---:|---:|
| backend directly | $direct | $(value wrk-direct.txt cpu_us_per_request) | $(calc '%.2f' "$(value wrk-direct.txt p50_us) / 1000") | $(calc '%.2f' "$(value wrk-direct.txt p99_us) / 1000") | $(value wrk-direct.txt errors) |
| nginx proxy | $nginx | $(calc '%.1f' "$(value wrk-nginx.txt cpu_us_per_request) - $(value wrk-direct.txt cpu_us_per_request)") | $(calc '%.2f' "$(value wrk-nginx.txt p50_us) / 1000") | $(calc '%.2f' "$(value wrk-nginx.txt p99_us) / 1000") | $(value wrk-nginx.txt errors) |
| bare Vert.x 5 proxy (ceiling) | $bare | $(value wrk-bare.txt cpu_us_per_request) | $(calc '%.2f' "$(value wrk-bare.txt p50_us) / 1000") | $(calc '%.2f' "$(value wrk-bare.txt p99_us) / 1000") | $(value wrk-bare.txt errors) |
| gateway (routing + logging) | $gateway | $(value wrk-gateway.txt cpu_us_per_request) | $(calc '%.2f' "$(value wrk-gateway.txt p50_us) / 1000") | $(calc '%.2f' "$(value wrk-gateway.txt p99_us) / 1000") | $(value wrk-gateway.txt errors) |

**Throughput gateway / nginx: $(calc '%.1f %%' "100 * $gateway / $nginx")** (target ≥ 60 %); **gateway / bare Vert.x proxy: $(calc '%.1f %%' "100 * $gateway / $bare")**
(what ModelGate's own work leaves of the Vert.x ceiling); bare Vert.x proxy / nginx: $(calc '%.1f %%' "100 * $bare / $nginx") (the JVM/Vert.x floor).
Gateway: $SERVED requests answered, $LOGGED rows in ClickHouse after shutdown, $DROPPED events dropped.

Unloaded latency: open loop at $RATE requests/s per path, the four paths at once with staggered schedules (so the client's
warm-up and the machine's other work fall on all alike), ${LATENCY_SECONDS} s after ${LATENCY_WARMUP} s, from one Vert.x client (HTTP/1.1 keep-alive);
latencies from each request's due time (HdrHistogram), so the client's own cost is in every row and cancels in the differences.

| path | p50 µs | p99 µs | p99.9 µs | max µs | errors | driver lag p99 µs |
|---|---:|---:|---:|---:|---:|---:|
$(latency_row 'backend directly' direct)
$(latency_row 'nginx proxy' nginx)
$(latency_row 'bare Vert.x 5 proxy (ceiling)' bare)
$(latency_row 'gateway (routing + logging)' gateway)

EOF
  p50=$(calc '%.3f' "($(value latency.properties gateway.p50_us) - $(value latency.properties direct.p50_us)) / 1000")
  p99=$(calc '%.3f' "($(value latency.properties gateway.p99_us) - $(value latency.properties direct.p99_us)) / 1000")
  printf '**Added by the gateway over calling the backend directly: %s ms p50, %s ms p99** (targets ≤ 0.15 ms p50, ≤ 0.5 ms p99);\n' "$p50" "$p99"
  printf 'nginx adds %s ms p50, %s ms p99; the bare Vert.x proxy adds %s ms p50, %s ms p99.\n' \
    "$(calc '%.3f' "($(value latency.properties nginx.p50_us) - $(value latency.properties direct.p50_us)) / 1000")" \
    "$(calc '%.3f' "($(value latency.properties nginx.p99_us) - $(value latency.properties direct.p99_us)) / 1000")" \
    "$(calc '%.3f' "($(value latency.properties bare.p50_us) - $(value latency.properties direct.p50_us)) / 1000")" \
    "$(calc '%.3f' "($(value latency.properties bare.p99_us) - $(value latency.properties direct.p99_us)) / 1000")"
  if [ -f "$RUN_DIR/hot-frames.txt" ]; then
    printf '\nJFR profile of the gateway over the whole proxy part (BENCH_PROFILE=true):\n\n```\n'
    head -n 60 "$RUN_DIR/hot-frames.txt"
    printf '```\n'
  fi
}

# ---- the run ------------------------------------------------------------------------------------
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
REVISION=$(source_revision)   # before the report overwrites its own file
SERVED=unknown LOGGED=unknown DROPPED=unknown
prepare
log "run folder: ${RUN_DIR#"$REPO_ROOT"/}"
if [ "$PARTS" != proxy ]; then run_batching; fi
if [ "$PARTS" != batching ]; then run_proxy; fi

mkdir -p "$(dirname "$RESULTS_FILE")"
{
  report_header
  if [ "$PARTS" != proxy ]; then report_batching; fi
  if [ "$PARTS" != batching ]; then report_proxy; fi
} | tee "$RESULTS_FILE"
log "written to ${RESULTS_FILE#"$REPO_ROOT"/} (raw figures and logs in ${RUN_DIR#"$REPO_ROOT"/})"
