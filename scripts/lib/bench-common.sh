# Helpers shared by scripts/bench.sh, bench-backends.sh and bench-cpu.sh (sourced, not run). Each script
# defines its own log() and die() (with its own name in the messages) and sets, before calling these:
# RUN_DIR, CLICKHOUSE_URL, DATABASE, PORT, GATEWAY_JAVA_OPTS (array), READY_TIMEOUT_TENTHS,
# STOP_TIMEOUT_TENTHS, WRK_THREADS and CONNECTIONS; start_gateway sets GATEWAY_PID.

# Runs a command in the background and waits for it, so the script's trap can stop it (CHILD_PID).
run_child() {
  local status=0
  "$@" &
  CHILD_PID=$!
  wait "$CHILD_PID" || status=$?
  CHILD_PID=""
  return "$status"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root (or sudo) to run: $*"; fi
}

# value FILE KEY: the value of KEY=... in RUN_DIR/FILE (the benches write their figures that way).
value() {
  local found
  found=$(awk -F= -v key="$2" '$1 == key { print $2 }' "$RUN_DIR/$1")
  [ -n "$found" ] || die "no '$2' in $1"
  printf '%s' "$found"
}

ch_sql() { curl -fsS --max-time 30 "$CLICKHOUSE_URL/" --data-binary "$1"; }

calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# install_missing TOOL...: installs (from Debian's packages of the same names) the tools not on PATH.
install_missing() {
  local missing=() tool
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  (( ${#missing[@]} > 0 )) || return 0
  log "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# require_free_ports PORT...: dies naming the first port something already listens on.
require_free_ports() {
  local port
  for port in "$@"; do
    port_free "$port" || die "port $port is already in use; choose other ports with BENCH_PORT"
  done
}

# cpu_ticks PID: user + system CPU time the process has used so far, in clock ticks (0 when it is gone).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# The running ClickHouse server's PID, as scripts/services.sh reports it (empty when it is not running).
clickhouse_pid() { scripts/services.sh status clickhouse 2>/dev/null | sed -n 's/.*running (pid \([0-9]*\).*/\1/p'; }

# The commit benchmarked, marked when the working tree differs from it.
source_revision() {
  local commit
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git status --porcelain 2>/dev/null)" ]; then commit="$commit (with uncommitted changes)"; fi
  printf '%s' "$commit"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# stop_process VARIABLE: SIGTERM the pid it holds, SIGKILL after the timeout, then clear it.
stop_process() {
  local pid=${!1} i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < STOP_TIMEOUT_TENTHS; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  printf -v "$1" '%s' ""
}

# wait_ready PID URL TENTHS: 0 once URL answers 2xx, 1 when the process exits or TENTHS tenths of a
# second have passed.
wait_ready() {
  local pid=$1 url=$2 tenths=$3 i
  for ((i = 0; i < tenths; i++)); do
    curl -fs --max-time 1 -o /dev/null "$url" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# start_gateway LABEL JAR CONFIG LOGGING [JVM option...]: serves on 127.0.0.1:$PORT, logging to $DATABASE
# when LOGGING is true, with telemetry.durability $DURABILITY (default wal); returns once it is ready.
# Its log is $RUN_DIR/gateway-LABEL.log.
start_gateway() {
  local label=$1 jar=$2 config=$3 logging=$4
  shift 4
  port_free "$PORT" || die "port $PORT is already in use; choose another with BENCH_PORT"
  env MODELGATE_HOST=127.0.0.1 MODELGATE_PORT="$PORT" MODELGATE_TELEMETRY_ENABLED="$logging" \
    MODELGATE_CLICKHOUSE_URL="$CLICKHOUSE_URL" MODELGATE_CLICKHOUSE_DATABASE="$DATABASE" \
    MODELGATE_SPOOL_DIR="$RUN_DIR/spool-$label" MODELGATE_WAL_DIR="$RUN_DIR/wal-$label" \
    MODELGATE_DURABILITY="${DURABILITY:-wal}" \
    java "${GATEWAY_JAVA_OPTS[@]}" -Dai.djl.offline=true -Dai.djl.onnx.disable_alternative=true \
    -Dai.djl.xgboost.disable_alternative=true "$@" -jar "$jar" serve --config "$config" >"$RUN_DIR/gateway-$label.log" 2>&1 &
  GATEWAY_PID=$!
  wait_ready "$GATEWAY_PID" "http://127.0.0.1:$PORT/v2/health/ready" "$READY_TIMEOUT_TENTHS" && return 0
  tail -n 30 "$RUN_DIR/gateway-$label.log" >&2
  die "the gateway ($label) exited or was not ready within $((READY_TIMEOUT_TENTHS / 10)) s"
}

# wrk_run OUT SECONDS URL EXAMPLES: full load; figures in $RUN_DIR/OUT.txt (see bench/wrk-infer.lua).
wrk_run() {
  local out=$1 seconds=$2 url=$3 examples=$4
  (( seconds > 0 )) || return 0
  run_child env BENCH_WRK_OUT="$RUN_DIR/$out.txt" BENCH_EXAMPLES="$examples" \
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${seconds}s" --timeout 5s -s bench/wrk-infer.lua "$url" \
    >"$RUN_DIR/$out.log" 2>&1 || { cat "$RUN_DIR/$out.log" >&2; die "wrk failed ($out)"; }
}

# metric_sum NAME [LABEL_FILTER]: sum of the running gateway's Prometheus samples of NAME whose labels
# contain the filter.
metric_sum() {
  curl -fsS --max-time 5 "http://127.0.0.1:$PORT/metrics" \
    | awk -v name="$1" -v filter="${2:-}" 'index($0, name) == 1 && substr($0, length(name) + 1, 1) ~ /[{ ]/ \
        && index($0, filter) > 0 { sum += $NF } END { printf "%.0f", sum }'
}

# compile_benchmarks: the Java benchmarks (src/test/src/test/java/dev/modelgate/bench, bench/xgboost) into
# RUN_DIR/classes, with the e2e module's test class path (RUN_DIR/classpath.txt) and xgboost4j's training
# jars (RUN_DIR/training-classpath.txt). Uses MAVEN_ARGS (array).
compile_benchmarks() {
  log "compiling the Java benchmarks (src/test/src/test/java/dev/modelgate/bench, bench/xgboost)"
  mvn "${MAVEN_ARGS[@]}" -q -B -f src/test/pom.xml dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$RUN_DIR/classpath.txt" >"$RUN_DIR/maven.log" 2>&1 \
    || { cat "$RUN_DIR/maven.log" >&2; die "cannot resolve the benchmark classpath (is the project installed? mvn install -DskipTests)"; }
  # xgboost4j (training) and kryo are test dependencies of inference-backends only: borrowed from there.
  mvn "${MAVEN_ARGS[@]}" -q -B -f inference-backends/pom.xml dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$RUN_DIR/inference-classpath.txt" >>"$RUN_DIR/maven.log" 2>&1 \
    || { cat "$RUN_DIR/maven.log" >&2; die "cannot resolve inference-backends' test classpath"; }
  tr ':' '\n' <"$RUN_DIR/inference-classpath.txt" | grep -E '/(xgboost4j_[^/]*|kryo|minlog|objenesis|reflectasm)/' \
    | paste -sd: >"$RUN_DIR/training-classpath.txt"
  grep -q xgboost4j_ "$RUN_DIR/training-classpath.txt" || die "no ml.dmlc:xgboost4j on inference-backends' test classpath"
  # The modules built in this tree come first: the ones installed in ~/.m2 may be older than the sources.
  local built="" module
  for module in statistics experiments drift-detector inference-backends gateway; do
    [ -d "$module/target/classes" ] && built+="$REPO_ROOT/$module/target/classes:"
  done
  printf '%s%s' "$built" "$(cat "$RUN_DIR/classpath.txt")" >"$RUN_DIR/classpath.txt.new"
  mv "$RUN_DIR/classpath.txt.new" "$RUN_DIR/classpath.txt"
  # Compiled apart from target/ so the run never races a build of the e2e module.
  local sources
  mapfile -t sources < <(find src/test/src/test/java/dev/modelgate/bench bench/xgboost -name '*.java' ! -name '*Test.java')
  # grpc-java's stubs are generated by a build of the e2e module; without them only the gRPC benchmark is left out
  local stubs=src/test/target/generated-test-sources/protobuf/grpc-java
  if [ -d "$stubs" ]; then
    mapfile -t -O "${#sources[@]}" sources < <(find "$stubs" -name '*.java')
  else
    mapfile -t sources < <(printf '%s\n' "${sources[@]}" | grep -v '/GrpcRestCpuBench\.java$')
  fi
  javac --release 17 -nowarn -d "$RUN_DIR/classes" \
    -cp "$(cat "$RUN_DIR/classpath.txt"):$(cat "$RUN_DIR/training-classpath.txt")" "${sources[@]}" \
    >"$RUN_DIR/javac.log" 2>&1 \
    || { cat "$RUN_DIR/javac.log" >&2; die "the benchmarks do not compile"; }
}

# bench_java MAIN OUT [--cp EXTRA] [-Dkey=value...]: one Java benchmark; its figures go to RUN_DIR/OUT.properties
bench_java() {
  local main=$1 out=$2 extra_cp=""
  shift 2
  if [ "${1:-}" = "--cp" ]; then extra_cp="$2:"; shift 2; fi
  run_child java -Xms256m -Xmx1g -Dai.djl.offline=true -Dai.djl.onnx.disable_alternative=true \
    -Dai.djl.xgboost.disable_alternative=true -Dmodelgate.demo.dir="$REPO_ROOT/demo" \
    -Dbench.out="$RUN_DIR/$out.properties" "$@" \
    -cp "$RUN_DIR/classes:$extra_cp$(cat "$RUN_DIR/classpath.txt")" "dev.modelgate.bench.$main" >"$RUN_DIR/$out.log" 2>&1 \
    || { tail -n 30 "$RUN_DIR/$out.log" >&2; die "$main failed"; }
}

# nginx_conf DIR BODY: an nginx configuration keeping its pid, logs and temporary files under DIR, tuned for
# load tests (long keep-alive, no access log unless a server sets one), with BODY inside http { }.
nginx_conf() {
  cat <<EOF
worker_processes auto;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  client_body_temp_path $1/body;
  proxy_temp_path $1/proxy;
  fastcgi_temp_path $1/fastcgi;
  uwsgi_temp_path $1/uwsgi;
  scgi_temp_path $1/scgi;
  default_type application/json;
$2
}
EOF
}

# kserve_static_server PORT: an nginx server block answering KServe v2 for model m (one FP32 [-1,12] input,
# fraud_probability out) with static JSON: a backend that is never the bottleneck.
kserve_static_server() {
  local metadata='{"name":"m","versions":["1"],"platform":"static","inputs":[{"name":"features","datatype":"FP32","shape":[-1,12]}],"outputs":[{"name":"fraud_probability","datatype":"FP32","shape":[-1,1]}]}'
  local answer='{"model_name":"m","model_version":"1","outputs":[{"name":"fraud_probability","datatype":"FP32","shape":[1,1],"data":[0.25]}]}'
  cat <<EOF
  server {
    listen 127.0.0.1:$1;
    location = /v2/models/m { return 200 '$metadata'; }
    location = /v2/models/m/ready { return 200 ''; }
    location = /v2/models/m/infer { return 200 '$answer'; }
    location / { return 404 '{"error":"not found"}'; }
  }
EOF
}
