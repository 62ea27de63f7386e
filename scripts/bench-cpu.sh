#!/usr/bin/env bash
# CPU per request of the gateway's hot path against its peers, the way gateways are compared: each setup
# in its own warm process, loaded one at a time by wrk in interleaved rounds (every setup once per round,
# in turn), the CPU each setup's process used during its window (utime + stime from /proc, all threads;
# for nginx its master and workers) divided by the requests it answered; medians over the rounds.
#
#   gateway-proxy   ModelGate as a KServe-v2 proxy: a sticky A/B split (X-Unit-Id) between two variants
#                   on the same backend, ClickHouse logging ON (durability wal)
#   gateway-onnx    ModelGate serving the demo ONNX model in-process, logging ON
#   gateway-onnx-off  the same with logging OFF: the difference is what logging costs the gateway
#   bare-vertx      BareVertxProxy: forwards bytes over the gateway's transport, does nothing else
#   nginx           nginx proxying the same backend (keep-alive upstream)
#   nginx-ab        nginx doing what users would pick for routing: split_clients on X-Unit-Id between two
#                   upstreams and a JSON access log (buffered, as the gateway's log is)
#
# The backend is another nginx answering a static KServe-v2 JSON; its CPU is not counted for anyone.
# wrk, the backend, ClickHouse and the setup under load share the machine's cores, as in production
# co-location would not: compare ratios from the same run, not absolute figures across runs.
#
# usage: scripts/bench-cpu.sh
#
# Environment (defaults in brackets):
#   BENCH_WARMUP_SECONDS     full-load warm-up of each setup before the rounds                        [20]
#   BENCH_SECONDS            each window                                                              [8]
#   BENCH_ROUNDS             rounds                                                                   [5]
#   BENCH_CONNECTIONS        wrk connections                                                          [64]
#   BENCH_WRK_THREADS        wrk threads                                                              [1]
#   BENCH_UNIT_IDS           distinct X-Unit-Id values sent in rotation                               [1000]
#   BENCH_PORT               first of the seven ports used (gateway-proxy, gateway-onnx, backend, bare,
#                            nginx, nginx-ab, gateway-onnx-off)                                        [18180]
#   BENCH_CLICKHOUSE_DATABASE  created by the gateways for the run, dropped afterwards                [modelgate_bench_cpu]
#   BENCH_GATEWAY_JAVA_OPTS  JVM options of the gateways and the bare proxy                           [-Xms256m -Xmx1g]
#   BENCH_MAVEN_ARGS         extra Maven arguments when the jar must be built                         [-o]
#   BENCH_RESULTS_FILE       the markdown report                                                      [bench/CPU.md]
#   BENCH_BASELINE_JAR       another build's modelgate.jar (e.g. the commit before a change): both gateways are
#                            also run from it, as gateway-proxy-baseline and gateway-onnx-baseline, in the
#                            same rounds (ports BENCH_PORT+7 and +8)                                  [none]
#   BENCH_PROFILE            true: profile the gateways (and the baseline's, so that the profiler's own
#                            cost tilts no comparison) during the rounds with async-profiler (from
#                            Maven Central; CPU samples with kernel stacks where perf_event_paranoid
#                            allows), and add each one's breakdown of CPU per request to the report    [false]
#   MODELGATE_CH_HTTP_PORT   ClickHouse HTTP port, as scripts/services.sh                             [8123]
set -euo pipefail
export LC_ALL=C

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

WARMUP=${BENCH_WARMUP_SECONDS:-20}
MEASURE=${BENCH_SECONDS:-8}
ROUNDS=${BENCH_ROUNDS:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-1}
UNIT_IDS=${BENCH_UNIT_IDS:-1000}
BASE_PORT=${BENCH_PORT:-18180}
DATABASE=${BENCH_CLICKHOUSE_DATABASE:-modelgate_bench_cpu}
read -r -a GATEWAY_JAVA_OPTS <<< "${BENCH_GATEWAY_JAVA_OPTS:--Xms256m -Xmx1g}"
read -r -a MAVEN_ARGS <<< "${BENCH_MAVEN_ARGS--o}"
RESULTS_FILE=${BENCH_RESULTS_FILE:-$REPO_ROOT/bench/CPU.md}
PROFILE=${BENCH_PROFILE:-false}
BASELINE_JAR=${BENCH_BASELINE_JAR:-}
ASYNC_PROFILER_VERSION=4.2
CLICKHOUSE_URL="http://127.0.0.1:${MODELGATE_CH_HTTP_PORT:-8123}"

PROXY_PORT=$BASE_PORT
ONNX_PORT=$((BASE_PORT + 1))
BACKEND_PORT=$((BASE_PORT + 2))
BARE_PORT=$((BASE_PORT + 3))
NGINX_PORT=$((BASE_PORT + 4))
NGINX_AB_PORT=$((BASE_PORT + 5))
ONNX_OFF_PORT=$((BASE_PORT + 6))
PROXY_BASE_PORT=$((BASE_PORT + 7))
ONNX_BASE_PORT=$((BASE_PORT + 8))
JAR=gateway/target/modelgate.jar
RUN_DIR=$REPO_ROOT/.run/bench-cpu/$(date -u +%Y%m%dT%H%M%SZ)
READY_TIMEOUT_TENTHS=900
STOP_TIMEOUT_TENTHS=300
SETUPS=(gateway-proxy gateway-onnx gateway-onnx-off bare-vertx nginx nginx-ab)
if [ -n "$BASELINE_JAR" ]; then
  [ -f "$BASELINE_JAR" ] || die "BENCH_BASELINE_JAR: no file '$BASELINE_JAR'"
  SETUPS+=(gateway-proxy-baseline gateway-onnx-baseline)
fi

log() { printf '[bench-cpu %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'bench-cpu.sh: %s\n' "$*" >&2; exit 1; }
# shellcheck source=lib/bench-common.sh
source "$REPO_ROOT/scripts/lib/bench-common.sh"

for setting in WARMUP:"$WARMUP" MEASURE:"$MEASURE" ROUNDS:"$ROUNDS" CONNECTIONS:"$CONNECTIONS" \
               WRK_THREADS:"$WRK_THREADS" UNIT_IDS:"$UNIT_IDS" BASE_PORT:"$BASE_PORT"; do
  [[ ${setting#*:} =~ ^[0-9]+$ ]] || die "${setting%%:*} must be a whole number, got '${setting#*:}'"
done
(( MEASURE > 0 && ROUNDS > 0 && CONNECTIONS > 0 && WRK_THREADS > 0 && UNIT_IDS > 0 )) \
  || die "BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONNECTIONS, BENCH_WRK_THREADS and BENCH_UNIT_IDS must be > 0"
[[ $DATABASE =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "BENCH_CLICKHOUSE_DATABASE must be a plain identifier, got '$DATABASE'"
[[ $PROFILE == true || $PROFILE == false ]] || die "BENCH_PROFILE must be true or false, got '$PROFILE'"

GATEWAY_PID=""    # start_gateway's result, moved to the setup's own variable
PROXY_PID=""
ONNX_PID=""
ONNX_OFF_PID=""
PROXY_BASE_PID=""
ONNX_BASE_PID=""
BARE_PID=""
BACKEND_PID=""
NGINX_PID=""
CHILD_PID=""

cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  if [ -n "$CHILD_PID" ]; then kill -TERM "$CHILD_PID" 2>/dev/null; wait "$CHILD_PID" 2>/dev/null; fi
  stop_process PROXY_PID
  stop_process ONNX_PID
  stop_process ONNX_OFF_PID
  stop_process PROXY_BASE_PID
  stop_process ONNX_BASE_PID
  stop_process BARE_PID
  stop_process NGINX_PID
  stop_process BACKEND_PID
  ch_sql "DROP DATABASE IF EXISTS $DATABASE" >/dev/null 2>&1
  [ "$status" -eq 0 ] || log "failed; logs are in ${RUN_DIR#"$REPO_ROOT"/}"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

prepare() {
  mkdir -p "$RUN_DIR"
  install_missing wrk nginx
  require_free_ports "$PROXY_PORT" "$ONNX_PORT" "$BACKEND_PORT" "$BARE_PORT" "$NGINX_PORT" "$NGINX_AB_PORT" "$ONNX_OFF_PORT"
  if [ -n "$BASELINE_JAR" ]; then require_free_ports "$PROXY_BASE_PORT" "$ONNX_BASE_PORT"; fi
  [[ $(scripts/services.sh status clickhouse) == *": running"* ]] || die "ClickHouse is not running (scripts/services.sh start)"
  if [ ! -f "$JAR" ]; then
    log "building $JAR (tests skipped)"
    mvn "${MAVEN_ARGS[@]}" -q -B package -DskipTests -pl gateway -am
  fi
  # a private copy: a build running meanwhile must not change the jar under the gateways
  cp "$JAR" "$RUN_DIR/modelgate.jar"
  if [ -n "$BASELINE_JAR" ]; then cp "$BASELINE_JAR" "$RUN_DIR/baseline.jar"; fi
  # the bare proxy needs nothing but Vert.x, which the gateway's jar holds
  javac --release 17 -nowarn -d "$RUN_DIR/classes" -cp "$RUN_DIR/modelgate.jar" \
    src/test/src/test/java/dev/modelgate/bench/{BareVertxProxy,BenchProperties}.java >"$RUN_DIR/javac.log" 2>&1 \
    || { cat "$RUN_DIR/javac.log" >&2; die "BareVertxProxy does not compile"; }
  ch_sql "DROP DATABASE IF EXISTS $DATABASE" >/dev/null
}

# nginx_start NAME CONFIG_BODY READY_URL: an nginx instance of its own (prefix $RUN_DIR/NAME); sets NGINX_STARTED.
nginx_start() {
  local name=$1 body=$2 ready=$3 dir="$RUN_DIR/$1"
  mkdir -p "$dir"
  { echo "# Generated by scripts/bench-cpu.sh."; nginx_conf "$dir" "$body"; } >"$dir/nginx.conf"
  nginx -t -q -p "$dir" -c "$dir/nginx.conf" 2>"$dir/check.log" || { cat "$dir/check.log" >&2; die "nginx ($name) rejects its configuration"; }
  nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' >"$dir/stdout.log" 2>&1 &
  NGINX_STARTED=$!
  wait_ready "$NGINX_STARTED" "$ready" 100 && return 0
  cat "$dir/error.log" >&2
  die "nginx ($name) did not start"
}

start_backend() {
  nginx_start backend "$(kserve_static_server "$BACKEND_PORT")" "http://127.0.0.1:$BACKEND_PORT/v2/models/m/ready"
  BACKEND_PID=$NGINX_STARTED
}

# Both nginx peers in one instance (loaded one at a time, so its CPU in a window is the loaded peer's).
start_nginx_peers() {
  nginx_start peers "  upstream kserve_backend { server 127.0.0.1:$BACKEND_PORT; keepalive 64; }
  upstream variant_a { server 127.0.0.1:$BACKEND_PORT; keepalive 32; }
  upstream variant_b { server 127.0.0.1:$BACKEND_PORT; keepalive 32; }
  split_clients \"\${http_x_unit_id}\" \$variant { 50% variant_a; * variant_b; }
  log_format prediction escape=json '{\"time\":\"\$time_iso8601\",\"request_id\":\"\$request_id\",'
    '\"unit_id\":\"\$http_x_unit_id\",\"variant\":\"\$variant\",\"status\":\$status,'
    '\"request_time\":\$request_time,\"upstream_time\":\"\$upstream_response_time\",'
    '\"request\":\"\$request_body\"}';
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { proxy_pass http://kserve_backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
  }
  server {
    listen 127.0.0.1:$NGINX_AB_PORT;
    access_log $RUN_DIR/peers/predictions.json.log prediction buffer=64k flush=1s;
    location / {
      proxy_pass http://\$variant;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      add_header X-Variant \$variant;
    }
  }" "http://127.0.0.1:$NGINX_PORT/v2/models/m/ready"
  NGINX_PID=$NGINX_STARTED
}

proxy_config() {
  cat <<EOF
# Generated by scripts/bench-cpu.sh: a sticky A/B test between two variants on the same KServe-v2 backend.
server: {host: 127.0.0.1, port: $PROXY_PORT, max_body_bytes: 1048576, request_timeout_ms: 2000}
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
telemetry: {}  # the defaults: about one insert per second (README, "No event is lost silently")
EOF
}

start_setups() {
  start_backend
  start_nginx_peers
  java "${GATEWAY_JAVA_OPTS[@]}" -Dbench.port="$BARE_PORT" -Dbench.backend="http://127.0.0.1:$BACKEND_PORT" \
    -Dbench.connections="$CONNECTIONS" -cp "$RUN_DIR/classes:$RUN_DIR/modelgate.jar" \
    dev.modelgate.bench.BareVertxProxy >"$RUN_DIR/bare.log" 2>&1 &
  BARE_PID=$!
  wait_ready "$BARE_PID" "http://127.0.0.1:$BARE_PORT/v2/models/m/ready" 300 || { tail -n 30 "$RUN_DIR/bare.log" >&2; die "the bare proxy did not start"; }
  proxy_config >"$RUN_DIR/proxy.yaml"
  PORT=$PROXY_PORT start_gateway proxy "$RUN_DIR/modelgate.jar" "$RUN_DIR/proxy.yaml" true
  PROXY_PID=$GATEWAY_PID
  # bench/gateway.yaml resolves its model against bench/: a copy would lose it, so it is used in place
  PORT=$ONNX_PORT start_gateway onnx "$RUN_DIR/modelgate.jar" bench/gateway.yaml true
  ONNX_PID=$GATEWAY_PID
  PORT=$ONNX_OFF_PORT start_gateway onnx-off "$RUN_DIR/modelgate.jar" bench/gateway.yaml false
  ONNX_OFF_PID=$GATEWAY_PID
  if [ -n "$BASELINE_JAR" ]; then
    proxy_config | sed "s/port: $PROXY_PORT,/port: $PROXY_BASE_PORT,/" >"$RUN_DIR/proxy-baseline.yaml"
    PORT=$PROXY_BASE_PORT start_gateway proxy-baseline "$RUN_DIR/baseline.jar" "$RUN_DIR/proxy-baseline.yaml" true
    PROXY_BASE_PID=$GATEWAY_PID
    PORT=$ONNX_BASE_PORT start_gateway onnx-baseline "$RUN_DIR/baseline.jar" bench/gateway.yaml true
    ONNX_BASE_PID=$GATEWAY_PID
  fi
}

url_of() {
  case $1 in
    gateway-proxy) echo "http://127.0.0.1:$PROXY_PORT/v2/models/m/infer" ;;
    gateway-onnx) echo "http://127.0.0.1:$ONNX_PORT/v2/models/fraud-score/infer" ;;
    gateway-onnx-off) echo "http://127.0.0.1:$ONNX_OFF_PORT/v2/models/fraud-score/infer" ;;
    gateway-proxy-baseline) echo "http://127.0.0.1:$PROXY_BASE_PORT/v2/models/m/infer" ;;
    gateway-onnx-baseline) echo "http://127.0.0.1:$ONNX_BASE_PORT/v2/models/fraud-score/infer" ;;
    bare-vertx) echo "http://127.0.0.1:$BARE_PORT/v2/models/m/infer" ;;
    nginx) echo "http://127.0.0.1:$NGINX_PORT/v2/models/m/infer" ;;
    nginx-ab) echo "http://127.0.0.1:$NGINX_AB_PORT/v2/models/m/infer" ;;
  esac
}

# pid_of SETUP: the setup's process (nginx: its master).
pid_of() {
  case $1 in
    gateway-proxy) echo "$PROXY_PID" ;;
    gateway-onnx) echo "$ONNX_PID" ;;
    gateway-onnx-off) echo "$ONNX_OFF_PID" ;;
    gateway-proxy-baseline) echo "$PROXY_BASE_PID" ;;
    gateway-onnx-baseline) echo "$ONNX_BASE_PID" ;;
    bare-vertx) echo "$BARE_PID" ;;
    nginx | nginx-ab) echo "$NGINX_PID" ;;
  esac
}

# process_ticks SETUP: CPU ticks used so far by the setup's process (nginx: master and every worker).
process_ticks() { tree_ticks "$(pid_of "$1")"; }

# allocated_bytes SETUP: bytes the setup's JVM has allocated so far (Micrometer's jvm_gc_memory_allocated_bytes_total, which
# advances at each young collection), or "-" for a setup without the gateway's /metrics.
allocated_bytes() {
  case $1 in
    gateway-*)
      curl -sf "$(url_of "$1" | sed 's#/v2/.*##')/metrics" \
        | awk '$1 ~ /^jvm_gc_memory_allocated_bytes_total/ { printf "%.0f\n", $2; found = 1 } END { if (!found) print "-" }' ;;
    *) echo "-" ;;
  esac
}

# window SETUP ROUND: one wrk window against SETUP; appends
# "setup round requests rps cpu_us_per_request errors kb_allocated_per_request" (the last "-" when not measured).
window() {
  local setup=$1 round=$2 before after out="$RUN_DIR/wrk-$1-$2" allocated_before allocated_after
  allocated_before=$(allocated_bytes "$setup")
  before=$(process_ticks "$setup")
  run_child env BENCH_WRK_OUT="$out.txt" BENCH_EXAMPLES="$REPO_ROOT/demo/fraud-score.json" BENCH_UNIT_IDS="$UNIT_IDS" \
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${MEASURE}s" --timeout 5s -s bench/wrk-infer.lua "$(url_of "$setup")" \
    >"$out.log" 2>&1 || { cat "$out.log" >&2; die "wrk failed ($setup, round $round)"; }
  after=$(process_ticks "$setup")
  allocated_after=$(allocated_bytes "$setup")
  local requests rps errors allocation="-"
  requests=$(awk -F= '$1 == "requests" { print $2 }' "$out.txt")
  rps=$(awk -F= '$1 == "rps" { print $2 }' "$out.txt")
  errors=$(awk -F= '$1 == "errors" { print $2 }' "$out.txt")
  if [ "$allocated_before" != "-" ] && [ "$allocated_after" != "-" ]; then
    allocation=$(calc '%.1f' "($allocated_after - $allocated_before) / 1024 / $requests")
  fi
  printf '%s %s %s %s %s %s %s\n' "$setup" "$round" "$requests" "$rps" \
    "$(calc '%.2f' "($after - $before) * $TICK_MICROS / $requests")" "$errors" "$allocation" >>"$RUN_DIR/windows.txt"
}

# median SETUP COLUMN: the median over the rounds of COLUMN (4 requests/s, 5 CPU µs/request, 7 KB allocated/request),
# "-" when the column was not measured for SETUP.
median() {
  awk -v s="$1" -v c="$2" '$1 == s && $c != "-" && $c != "" { print $c }' "$RUN_DIR/windows.txt" | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

report() {
  local setup round
  {
    echo "# CPU per request: the gateway's hot path against its peers"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(source_revision). Machine: $(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)),"
    echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end (1, 5, 15 min). The machine is shared: compare ratios from this run."
    echo
    echo "Command: \`BENCH_WARMUP_SECONDS=$WARMUP BENCH_SECONDS=$MEASURE BENCH_ROUNDS=$ROUNDS BENCH_CONNECTIONS=$CONNECTIONS BENCH_UNIT_IDS=$UNIT_IDS scripts/bench-cpu.sh\`"
    echo
    echo "Each setup in its own warm process ($WARMUP s of full load first), loaded one at a time by wrk ($WRK_THREADS thread, $CONNECTIONS connections,"
    echo "$UNIT_IDS rotating \`X-Unit-Id\`s, the demo's transactions) in $ROUNDS interleaved rounds of $MEASURE s. CPU per request: user + system"
    echo "time of the setup's process(es) during its window (/proc) ÷ requests answered. Backend: a separate nginx answering a static"
    echo "KServe-v2 JSON (not counted). Medians over the rounds."
    echo
    echo "| setup | requests/s | CPU µs/request | CPU ÷ bare Vert.x proxy | requests/s ÷ nginx | requests/s ÷ nginx A/B + log | KB allocated/request |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    local bare_cpu nginx_rps ab_rps
    bare_cpu=$(median bare-vertx 5); nginx_rps=$(median nginx 4); ab_rps=$(median nginx-ab 4)
    for setup in "${SETUPS[@]}"; do
      printf '| %s | %.0f | %.1f | %s | %s | %s | %s |\n' "$setup" "$(median "$setup" 4)" "$(median "$setup" 5)" \
        "$(calc '%.2f' "$(median "$setup" 5) / $bare_cpu")" "$(calc '%.2f' "$(median "$setup" 4) / $nginx_rps")" \
        "$(calc '%.2f' "$(median "$setup" 4) / $ab_rps")" "$(median "$setup" 7)"
    done
    echo
    if [ -n "$BASELINE_JAR" ]; then
      echo "Against the baseline jar (\`$BASELINE_JAR\`, same rounds): the proxy gateway's CPU per request is $(calc '%.2f' "$(median gateway-proxy 5) / $(median gateway-proxy-baseline 5)")×"
      echo "the baseline's, the ONNX gateway's $(calc '%.2f' "$(median gateway-onnx 5) / $(median gateway-onnx-baseline 5)")×."
      echo
    fi
    echo "Logging costs the ONNX gateway $(calc '%.1f' "$(median gateway-onnx 5) - $(median gateway-onnx-off 5)") µs of CPU per request (median ON − median OFF)."
    echo
    echo "Every window (setup, round, requests, requests/s, CPU µs/request, wrk errors, KB allocated/request):"
    echo
    echo '```'
    cat "$RUN_DIR/windows.txt"
    echo '```'
    echo
    if $PROFILE; then
      for setup in "${PROFILED[@]}"; do
        echo "### Where $setup's CPU goes (async-profiler $ASYNC_PROFILER_VERSION, CPU samples every ms over all rounds)"
        echo
        awk -v cpu_us="$(median "$setup" 5)" -f scripts/lib/profile-breakdown.awk "$RUN_DIR/profile-$setup.collapsed"
        echo
      done
      echo "Profiles (collapsed stacks, for flame graphs): \`${RUN_DIR#"$REPO_ROOT"/}/profile-*.collapsed\`."
      echo
    fi
    echo "Telemetry: the proxy gateway answered $PROXY_SERVED requests and dropped $PROXY_DROPPED events; the ONNX gateway answered"
    echo "$ONNX_SERVED and dropped $ONNX_DROPPED."
  } >"$RESULTS_FILE"
}

# async-profiler's agent, fetched once into .run/tools (Maven Central serves it as a jar holding the library).
profiler_library() {
  local dir="$REPO_ROOT/.run/tools/async-profiler-$ASYNC_PROFILER_VERSION"
  if [ ! -f "$dir/linux-x64/libasyncProfiler.so" ]; then
    mkdir -p "$dir"
    curl -fsS -o "$dir/ap.jar" \
      "https://repo1.maven.org/maven2/tools/profiler/async-profiler/$ASYNC_PROFILER_VERSION/async-profiler-$ASYNC_PROFILER_VERSION-linux-x64.jar" \
      || die "cannot download async-profiler $ASYNC_PROFILER_VERSION from Maven Central"
    (cd "$dir" && unzip -q -o ap.jar 'linux-x64/*')
  fi
  echo "$dir/linux-x64/libasyncProfiler.so"
}

# profiler PID COMMAND: sends an async-profiler command to a running JVM (jcmd loads the agent). The command goes in
# double quotes: jcmd would otherwise split it at its '=' signs.
profiler() {
  local answer
  answer=$(jcmd "$1" JVMTI.agent_load "$PROFILER_LIB" "\"$2\"") && [[ $answer == *"return code: 0"* ]] \
    || die "async-profiler: '$2' failed for pid $1: $answer"
}

prepare
if $PROFILE; then PROFILER_LIB=$(profiler_library); fi
log "starting the backend, the nginx peers, the bare Vert.x proxy and both gateways"
start_setups
for setup in "${SETUPS[@]}"; do
  log "warm-up: $setup, $WARMUP s"
  run_child env BENCH_WRK_OUT="$RUN_DIR/warmup-$setup.txt" BENCH_EXAMPLES="$REPO_ROOT/demo/fraud-score.json" BENCH_UNIT_IDS="$UNIT_IDS" \
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 5s -s bench/wrk-infer.lua "$(url_of "$setup")" \
    >"$RUN_DIR/warmup-$setup.log" 2>&1 || die "wrk failed (warm-up of $setup)"
done
: >"$RUN_DIR/windows.txt"
# every gateway compared carries the profiler, so that its cost does not tilt a comparison
PROFILED=(gateway-proxy gateway-onnx)
if [ -n "$BASELINE_JAR" ]; then PROFILED+=(gateway-proxy-baseline gateway-onnx-baseline); fi
if $PROFILE; then
  for setup in "${PROFILED[@]}"; do profiler "$(pid_of "$setup")" "start,event=cpu,interval=997us,threads"; done
fi
for ((round = 1; round <= ROUNDS; round++)); do
  log "round $round of $ROUNDS"
  for setup in "${SETUPS[@]}"; do window "$setup" "$round"; done
done
if $PROFILE; then
  for setup in "${PROFILED[@]}"; do
    profiler "$(pid_of "$setup")" "stop,file=$RUN_DIR/profile-$setup.collapsed,collapsed"
  done
fi
PROXY_SERVED=$(PORT=$PROXY_PORT metric_sum modelgate_requests_seconds_count || echo unknown)
PROXY_DROPPED=$(PORT=$PROXY_PORT metric_sum modelgate_events_dropped_total || echo unknown)
ONNX_SERVED=$(PORT=$ONNX_PORT metric_sum modelgate_requests_seconds_count || echo unknown)
ONNX_DROPPED=$(PORT=$ONNX_PORT metric_sum modelgate_events_dropped_total || echo unknown)
report
log "wrote ${RESULTS_FILE#"$REPO_ROOT"/}"
cat "$RESULTS_FILE"
