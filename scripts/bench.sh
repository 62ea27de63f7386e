#!/usr/bin/env bash
# Benchmarks ModelGate on this machine in one run and writes the figures to bench/RESULTS.md:
#   1. throughput with telemetry logging to ClickHouse ON vs OFF: three gateway processes (logging OFF,
#      ON with durability wal, ON with durability async), each warmed up at full load, then wrk against
#      them in alternation (OFF, WAL, ASYNC, OFF, ...; never two loaded at once), so that every ratio
#      comes from windows measured back to back; each round also measures the OFF gateway while
#      ClickHouse ingests the ON rate from a file, the cost of co-location alone;
#   2. latency at a constant rate (default 1,000 requests/s), open loop, measured from each request's
#      due time (HdrHistogram): the gateway with logging ON vs the raw ONNX engine called in-process
#      (through OnnxRuntimeBackend from a Vert.x context, and through a plain DJL predictor);
#   3. raw engine throughput in-process, one thread, batch 1 and 64.
# Ratios are against baselines measured in the same run. Everything runs on 127.0.0.1; the script
# stops whatever it started, also on Ctrl-C. About 11 minutes with the defaults.
#
# usage: scripts/bench.sh
#
# Environment (defaults in brackets):
#   BENCH_WARMUP_SECONDS       full-load warm-up per gateway process, then warm-up at BENCH_RATE of
#                              the gateway and of the raw engine before their latencies are measured [30]
#   BENCH_SECONDS              length of each measurement                                            [30]
#   BENCH_ROUNDS               OFF/ON pairs of throughput windows                                    [3]
#   BENCH_RATE                 open-loop arrival rate, requests/s                                    [1000]
#   BENCH_CONNECTIONS          wrk connections, and the open-loop generator's connection cap         [16]
#   BENCH_WRK_THREADS          wrk threads                                                           [1]
#   BENCH_THROUGHPUT_SECONDS   raw engine throughput measurement per batch size                      [10]
#   BENCH_PORT                 port of the logging-ON (wal) gateway; OFF listens on the next, async
#                              on the one after                                                       [18080]
#   BENCH_CLICKHOUSE_DATABASE  created by the gateway for the run, dropped afterwards                [modelgate_bench]
#   BENCH_CONFIG               the gateways' configuration (model fraud-score, as the demo's)         [bench/gateway.yaml]
#   BENCH_GATEWAY_JAVA_OPTS    JVM options of the gateway, as scripts/demo.sh                        [-Xms256m -Xmx1g]
#   BENCH_MAVEN_ARGS           extra Maven arguments (set it empty to let Maven go online)           [-o]
#   BENCH_RESULTS_FILE         the markdown report                                                   [bench/RESULTS.md]
#   MODELGATE_CH_HTTP_PORT     ClickHouse HTTP port, as scripts/services.sh                          [8123]
#   MODELGATE_SERVICES_DIR     where scripts/services.sh keeps ClickHouse's data (see bench/RESULTS.md
#                              on file systems)                                                      [.run/services]
set -euo pipefail
export LC_ALL=C   # decimal points in awk and printf

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

WARMUP=${BENCH_WARMUP_SECONDS:-30}
MEASURE=${BENCH_SECONDS:-30}
ROUNDS=${BENCH_ROUNDS:-3}
RATE=${BENCH_RATE:-1000}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
WRK_THREADS=${BENCH_WRK_THREADS:-1}
THROUGHPUT_SECONDS=${BENCH_THROUGHPUT_SECONDS:-10}
PORT=${BENCH_PORT:-18080}
OFF_PORT=$(( PORT + 1 ))
ASYNC_PORT=$(( PORT + 2 ))
DATABASE=${BENCH_CLICKHOUSE_DATABASE:-modelgate_bench}
CONFIG=${BENCH_CONFIG:-bench/gateway.yaml}
read -r -a GATEWAY_JAVA_OPTS <<< "${BENCH_GATEWAY_JAVA_OPTS:--Xms256m -Xmx1g}"
read -r -a MAVEN_ARGS <<< "${BENCH_MAVEN_ARGS--o}"
RESULTS_FILE=${BENCH_RESULTS_FILE:-$REPO_ROOT/bench/RESULTS.md}
CLICKHOUSE_URL="http://127.0.0.1:${MODELGATE_CH_HTTP_PORT:-8123}"

JAR=gateway/target/modelgate.jar
URL="http://127.0.0.1:$PORT/v2/models/fraud-score/infer"
OFF_URL="http://127.0.0.1:$OFF_PORT/v2/models/fraud-score/infer"
ASYNC_URL="http://127.0.0.1:$ASYNC_PORT/v2/models/fraud-score/infer"
EXAMPLES=$REPO_ROOT/demo/fraud-score.json
RUN_DIR=$REPO_ROOT/.run/bench/$(date -u +%Y%m%dT%H%M%SZ)
READY_TIMEOUT_TENTHS=600   # 60 s for the gateway to load the model and listen
STOP_TIMEOUT_TENTHS=300    # 30 s of SIGTERM (drain + final flush) before SIGKILL

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'bench.sh: %s\n' "$*" >&2; exit 1; }
# shellcheck source=lib/bench-common.sh
source "$REPO_ROOT/scripts/lib/bench-common.sh"

for setting in WARMUP:"$WARMUP" MEASURE:"$MEASURE" ROUNDS:"$ROUNDS" RATE:"$RATE" CONNECTIONS:"$CONNECTIONS" \
               WRK_THREADS:"$WRK_THREADS" THROUGHPUT_SECONDS:"$THROUGHPUT_SECONDS" PORT:"$PORT"; do
  [[ ${setting#*:} =~ ^[0-9]+$ ]] || die "${setting%%:*} must be a whole number, got '${setting#*:}'"
done
(( MEASURE > 0 && ROUNDS > 0 && RATE > 0 && CONNECTIONS > 0 && WRK_THREADS > 0 && THROUGHPUT_SECONDS > 0 )) \
  || die "BENCH_SECONDS, BENCH_ROUNDS, BENCH_RATE, BENCH_CONNECTIONS, BENCH_WRK_THREADS and BENCH_THROUGHPUT_SECONDS must be > 0"
[[ $DATABASE =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "BENCH_CLICKHOUSE_DATABASE must be a plain identifier, got '$DATABASE'"
[ -f "$CONFIG" ] || die "BENCH_CONFIG: no file '$CONFIG'"
# ClickHouse is fed batches as large as the gateway's: telemetry.batch_size if configured, else what the defaults
# (50,000 rows, 16 MiB, 1 s) send at the rates measured here: 16 MiB of the demo's 730-byte rows, about 23,000
FEED_BATCH_ROWS=$(awk '/^[[:space:]]*batch_size:/ { print $2; exit }' "$CONFIG")
FEED_BATCH_ROWS=${FEED_BATCH_ROWS:-23000}

# ---- what this run started, and how to stop it -------------------------------------------------
GATEWAY_PID=""
ON_PID=""
FEEDER_PID=""
OFF_PID=""
ASYNC_PID=""
CHILD_PID=""
STARTED_CLICKHOUSE=false
STORAGE_UNJOURNALED=false
CLICKHOUSE_STORAGE=unknown

# Children run in the background and are waited for, so that a signal reaches the trap at once
# instead of after the current measurement.

cleanup() {
  local status=$?
  set +e   # clean up as much as possible, whatever fails
  trap - EXIT INT TERM
  if [ -n "$CHILD_PID" ]; then
    kill -TERM "$CHILD_PID" 2>/dev/null
    wait "$CHILD_PID" 2>/dev/null
  fi
  stop_process GATEWAY_PID
  stop_process ON_PID
  stop_process OFF_PID
  stop_process ASYNC_PID
  stop_process FEEDER_PID
  ch_sql "DROP DATABASE IF EXISTS $DATABASE" >/dev/null 2>&1 || true
  ch_sql "DROP DATABASE IF EXISTS ${DATABASE}_async" >/dev/null 2>&1 || true
  if $STARTED_CLICKHOUSE; then scripts/services.sh stop clickhouse; fi
  [ "$status" -eq 0 ] || log "failed; logs are in ${RUN_DIR#"$REPO_ROOT"/}"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- preparation: tools, jar, classpath, ClickHouse ---------------------------------------------

prepare() {
  mkdir -p "$RUN_DIR"
  if ! command -v wrk >/dev/null; then
    log "installing wrk"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  fi
  if [ ! -f "$JAR" ]; then
    log "building $JAR (mvn install, tests skipped)"
    mvn "${MAVEN_ARGS[@]}" -q -B install -DskipTests
  fi
  compile_benchmarks
  local clickhouse_status
  clickhouse_status=$(scripts/services.sh status clickhouse)
  if [[ $clickhouse_status == *": running"* ]]; then
    log "ClickHouse already running: using it, leaving it running"
  else
    scripts/services.sh start clickhouse
    STARTED_CLICKHOUSE=true
  fi
  ch_sql "DROP DATABASE IF EXISTS $DATABASE" >/dev/null
}

bench_java() {
  local main=$1 out=$2
  shift 2
  run_child java -Xms256m -Xmx1g -Dai.djl.offline=true -Dai.djl.onnx.disable_alternative=true \
    -Dmodelgate.demo.dir="$REPO_ROOT/demo" -Dbench.out="$RUN_DIR/$out.properties" "$@" \
    -cp "$RUN_DIR/classes:$(cat "$RUN_DIR/classpath.txt")" "dev.modelgate.bench.$main" >"$RUN_DIR/$out.log" 2>&1 \
    || { tail -n 30 "$RUN_DIR/$out.log" >&2; die "$main failed"; }
}

# ---- the gateway under load ---------------------------------------------------------------------
# This machine's speed drifts by ±10 % over minutes (other tenants), so one OFF run followed minutes
# later by one ON run can show a 10 % "cost of logging" that is only drift. Both gateways stay up and
# are measured in alternation: each ratio comes from two adjacent windows, and the report leads with
# their median. Each window also records the CPU time the gateway and ClickHouse spent per request:
# unlike requests/s, it hardly moves when other processes take turns on the cores, and it splits the
# cost of logging between the gateway and a ClickHouse that, in production, runs on machines of its own.

start_gateways() {
  log "gateways: logging OFF on port $OFF_PORT, ON (wal) on $PORT, ON (async) on $ASYNC_PORT, each warmed up at full load for ${WARMUP} s"
  PORT=$OFF_PORT start_gateway off "$JAR" "$CONFIG" false
  OFF_PID=$GATEWAY_PID
  GATEWAY_PID=""
  wrk_run wrk-off-warmup "$WARMUP" "$OFF_URL" "$EXAMPLES"
  start_gateway on "$JAR" "$CONFIG" true
  ON_PID=$GATEWAY_PID
  GATEWAY_PID=""
  wrk_run wrk-on-warmup "$WARMUP" "$URL" "$EXAMPLES"
  # its own database, so that the row count below is the ON gateway's alone
  PORT=$ASYNC_PORT DURABILITY=async DATABASE=${DATABASE}_async start_gateway async "$JAR" "$CONFIG" true
  ASYNC_PID=$GATEWAY_PID
  GATEWAY_PID=""
  wrk_run wrk-async-warmup "$WARMUP" "$ASYNC_URL" "$EXAMPLES"
}

# window PID URL OUT: one wrk measurement of the gateway PID, plus its and ClickHouse's CPU per request.
window() {
  local pid=$1 url=$2 out=$3 clickhouse gateway0 clickhouse0 gateway1 clickhouse1 requests hz
  clickhouse=$(clickhouse_pid)
  gateway0=$(cpu_ticks "$pid"); clickhouse0=$(cpu_ticks "${clickhouse:-none}")
  wrk_run "$out" "$MEASURE" "$url" "$EXAMPLES"
  gateway1=$(cpu_ticks "$pid"); clickhouse1=$(cpu_ticks "${clickhouse:-none}")
  requests=$(value "$out.txt" requests)
  hz=$(getconf CLK_TCK)
  printf 'gateway_cpu_us=%s\nclickhouse_cpu_us=%s\n' \
    "$(calc '%.1f' "($gateway1 - $gateway0) * 1e6 / $hz / $requests")" \
    "$(calc '%.1f' "($clickhouse1 - $clickhouse0) * 1e6 / $hz / $requests")" >>"$RUN_DIR/$out.txt"
}

throughput_rounds() {
  local round
  for ((round = 1; round <= ROUNDS; round++)); do
    log "throughput round $round of $ROUNDS: ${MEASURE} s each of logging OFF, ON (wal), ON (async), and OFF with ClickHouse fed"
    window "$OFF_PID" "$OFF_URL" "wrk-off-$round"
    window "$ON_PID" "$URL" "wrk-on-$round"
    window "$ASYNC_PID" "$ASYNC_URL" "wrk-async-$round"
    clickhouse_alone "$round"
  done
}

# clickhouse_alone ROUND: the logging-OFF gateway again, while ClickHouse ingests as many rows per second
# as the ON gateway just logged, sent by curl from a file of the gateway's own rows: what a ClickHouse on
# the same cores costs by itself, with no logging work in the gateway.
clickhouse_alone() {
  local round=$1 rows_file=$RUN_DIR/rows.bin per_minute rows0 rows1
  if [ ! -s "$rows_file" ]; then
    ch_sql "SELECT * FROM $DATABASE.predictions LIMIT $FEED_BATCH_ROWS FORMAT RowBinary" >"$rows_file"
    ch_sql "CREATE TABLE $DATABASE.clickhouse_alone AS $DATABASE.predictions" >/dev/null
  fi
  per_minute=$(calc '%.0f' "$(value "wrk-on-$round.txt" rps) * 60 / $FEED_BATCH_ROWS")
  rows0=$(ch_sql "SELECT count() FROM $DATABASE.clickhouse_alone")
  # one curl process sends every insert, evenly spaced; each has its own query_id
  curl -s --rate "$per_minute/m" --data-binary "@$rows_file" -o /dev/null \
    "$CLICKHOUSE_URL/?query=INSERT%20INTO%20$DATABASE.clickhouse_alone%20FORMAT%20RowBinary&query_id=bench-feed-$round-[1-100000]" &
  FEEDER_PID=$!
  window "$OFF_PID" "$OFF_URL" "wrk-fed-$round"
  stop_process FEEDER_PID
  rows1=$(ch_sql "SELECT count() FROM $DATABASE.clickhouse_alone")
  (( rows1 > rows0 )) || die "ClickHouse took no rows from the feeder (round $round)"
  printf 'fed_rows_per_s=%s\nclickhouse_cpu_us_per_fed_row=%s\n' "$(calc '%.0f' "($rows1 - $rows0) / $MEASURE")" \
    "$(calc '%.1f' "$(value "wrk-fed-$round.txt" clickhouse_cpu_us) * $(value "wrk-fed-$round.txt" requests) / ($rows1 - $rows0)")" \
    >>"$RUN_DIR/wrk-fed-$round.txt"
}

# ClickHouse's storage. ext4 without a journal looks for recently deleted inodes on every file it
# creates, scanning further the more files were deleted lately; ClickHouse creates some 60 files per
# insert and deletes merged parts all the time, which made its inserts here up to twice as costly.
describe_clickhouse_storage() {
  local dir source="" fstype="" journal_task="" journal=""
  dir=${MODELGATE_SERVICES_DIR:-$REPO_ROOT/.run/services}/clickhouse/data
  read -r source fstype < <(findmnt -n -o SOURCE,FSTYPE -T "$dir" 2>/dev/null) || true
  if [[ $fstype == ext4 ]]; then
    # the kernel names the journal thread of each mounted ext4 here, or "<none>"
    journal_task=$(cat "/sys/fs/ext4/$(basename "$source")/journal_task" 2>/dev/null || true)
    case "$journal_task" in
      "") journal=", journal unknown" ;;
      "<none>") journal=", **without a journal**"; STORAGE_UNJOURNALED=true ;;
      *) journal=", with a journal" ;;
    esac
  fi
  CLICKHOUSE_STORAGE=$(printf '`%s` on %s (%s%s)' "${dir#"$REPO_ROOT"/}" "${fstype:-an unknown file system}" "${source:-?}" "$journal")
}

# ---- report -------------------------------------------------------------------------------------

# The figures of the throughput rounds, one "round off_rps on_rps ratio off_cpu on_cpu clickhouse_cpu
# errors fed_rps fed_ratio clickhouse_cpu_per_fed_row async_rps wal_async_ratio async_cpu" line per
# round (ON is the wal gateway).
round_figures() {
  local round off on fed async
  for ((round = 1; round <= ROUNDS; round++)); do
    off=wrk-off-$round.txt on=wrk-on-$round.txt fed=wrk-fed-$round.txt async=wrk-async-$round.txt
    printf '%d %s %s %s %s %s %s %d %s %s %s %s %s %s\n' "$round" "$(value "$off" rps)" "$(value "$on" rps)" \
      "$(calc '%.4f' "$(value "$on" rps) / $(value "$off" rps)")" "$(value "$off" gateway_cpu_us)" \
      "$(value "$on" gateway_cpu_us)" "$(value "$on" clickhouse_cpu_us)" \
      "$(( $(value "$off" errors) + $(value "$on" errors) + $(value "$fed" errors) + $(value "$async" errors) ))" \
      "$(value "$fed" rps)" "$(calc '%.4f' "$(value "$fed" rps) / $(value "$off" rps)")" \
      "$(value "$fed" clickhouse_cpu_us_per_fed_row)" "$(value "$async" rps)" \
      "$(calc '%.4f' "$(value "$on" rps) / $(value "$async" rps)")" "$(value "$async" gateway_cpu_us)"
  done
}

round_rows() {
  round_figures | awk '{ printf "| %d | %.0f | %.0f | **%.3f** | %.1f | %.1f | %.1f | %.0f | %.3f | %.1f | %d |\n", $1, $2, $3, $4, $5, $6, $7, $9, $10, $11, $8 }'
}

durability_rows() {
  round_figures | awk '{ printf "| %d | %.0f | %.0f | **%.3f** | %.1f | %.1f |\n", $1, $12, $3, $13, $14, $6 }'
}

# median_of FIELD, mean_of FIELD: over the rounds, of one round_figures field (4 is the ratio).
median_of() { round_figures | awk -v f="$1" '{ print $f }' | sort -g | awk '{ v[NR] = $1 } END { printf "%.4f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mean_of() { round_figures | awk -v f="$1" '{ sum += $f } END { printf "%.1f", sum / NR }'; }

report() {
  local ratio gw_off gw_on gw_p99 backend_p99 djl_p99 cores cpu load
  ratio=$(median_of 4)
  gw_off=$(mean_of 5)
  gw_on=$(mean_of 6)
  gw_p99=$(value loadgen.properties gateway.p99_us)
  backend_p99=$(value raw.properties backend.p99_us)
  djl_p99=$(value raw.properties djl.p99_us)
  cores=$(nproc)
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  load=$(cut -d' ' -f1-3 /proc/loadavg)

  cat <<EOF
# ModelGate benchmark results

$(date -u '+%Y-%m-%d %H:%M UTC'), commit $REVISION. Machine: $cores cores ($cpu), $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM,
load average $LOAD_AT_START at the start and $load at the end (1, 5, 15 min). The machine is shared: other builds may have run meanwhile,
so treat single figures as indicative and compare ratios, which come from the same run.

Command: \`BENCH_WARMUP_SECONDS=$WARMUP BENCH_SECONDS=$MEASURE BENCH_ROUNDS=$ROUNDS BENCH_RATE=$RATE BENCH_CONNECTIONS=$CONNECTIONS BENCH_CONFIG=$CONFIG scripts/bench.sh\`

Model: \`fraud-score\` (demo/, one FP32 input [1, 12]), ONNX Runtime via DJL, 2 instances, one intra-op thread.
The gateway, the load generators and ClickHouse all share the same $cores cores.
ClickHouse data: $CLICKHOUSE_STORAGE.
$(storage_warning)

## 1. Throughput, telemetry logging ON vs OFF

Gateway processes with logging OFF and ON (and ON with durability async, below), each warmed up for ${WARMUP} s at
full load, then measured in alternation: $ROUNDS rounds of ${MEASURE} s OFF, ${MEASURE} s ON, ${MEASURE} s ON (async), and ${MEASURE} s OFF again while ClickHouse ingests as many
rows per second as the ON window logged (curl sends $FEED_BATCH_ROWS of the gateway's own rows per insert from a file,
so the gateway does no logging work): what ClickHouse on the same cores costs by itself. Never two gateways
loaded at once (wrk, $WRK_THREADS thread(s), $CONNECTIONS connections). Each ratio compares adjacent windows, so the
machine's drift over minutes cancels out. CPU per request is the user + system time of each process during its
window (/proc).

| round | OFF requests/s | ON requests/s | ON/OFF | gateway CPU µs/request, OFF | gateway CPU µs/request, ON | ClickHouse CPU µs/request, ON | OFF requests/s, ClickHouse fed | fed/OFF | ClickHouse CPU µs per fed row | errors |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
$(round_rows)

**Throughput ratio ON/OFF, median of $ROUNDS rounds: $(calc '%.3f' "$ratio")** — logging costs $(calc '%.1f' "100 * (1 - $ratio)") % of throughput (target: ≤ 10 %).
On average over the rounds, logging adds $(calc '%.1f' "$gw_on - $gw_off") µs of CPU per request to the gateway ($(calc '%+.1f' "100 * ($gw_on / $gw_off - 1)") %)
and $(mean_of 7) µs to ClickHouse, which shares the same cores here (in production it runs on machines of its own).
**ClickHouse alone**, fed the same rows while the gateway logs nothing, leaves the OFF gateway $(calc '%.3f' "$(median_of 10)") of its
throughput (median): the part of the ON/OFF gap that co-location, not the gateway, accounts for.
Logging ON process: $SERVED requests answered, $LOGGED rows in ClickHouse after shutdown, $DROPPED events dropped.
$(dropped_warning)

### The cost of the write-ahead log: durability wal vs async

The ON gateway above runs with \`telemetry.durability: wal\` (the default: every event appended to a segment
file before its response is sent); a third gateway, identical but \`async\`, was measured in the same rounds,
right after it.

| round | async requests/s | wal requests/s | wal/async | gateway CPU µs/request, async | gateway CPU µs/request, wal |
|---:|---:|---:|---:|---:|---:|
$(durability_rows)

**Throughput ratio wal/async, median of $ROUNDS rounds: $(calc '%.3f' "$(median_of 13)")** (target: ≥ 0.95); gateway CPU per
request, wal minus async, averaged over the rounds: $(calc '%+.1f' "$(mean_of 6) - $(mean_of 14)") µs.

## 2. Latency at a constant $RATE requests/s (open loop)

Latencies from each call's due time (coordinated omission corrected), HdrHistogram, ${MEASURE} s measured.
Gateway: Vert.x HTTP/1.1 client, at most $CONNECTIONS keep-alive connections, logging ON, after the runs above
and ${WARMUP} s of warm-up at this rate (the gateway's tail takes about 20 s to settle after full load here).
Raw engine: same inputs, same rate, in one JVM after ${WARMUP} s of warm-up, with the gateway stopped. "Driver lag" is how late the generator itself started calls (p99):
it is part of every figure in its row.

| path | p50 µs | p99 µs | p99.9 µs | max µs | errors | driver lag p99 µs |
|---|---:|---:|---:|---:|---:|---:|
$(latency_row 'gateway over HTTP (logging ON)' loadgen.properties gateway)
$(latency_row 'OnnxRuntimeBackend in-process, from a Vert.x context' raw.properties backend)
$(latency_row 'plain DJL predictor, direct calls, one thread' raw.properties djl)

**Added p99 over the raw engine: $(calc '%.0f' "$gw_p99 - $backend_p99") µs** over OnnxRuntimeBackend, $(calc '%.0f' "$gw_p99 - $djl_p99") µs over the plain DJL predictor (target: ≤ 1 ms at 1,000 requests/s).
$(lag_warning)

## 3. Raw engine throughput in-process (one thread, back to back)

| batch | rows/s |
|---:|---:|
| 1 | $(calc '%.0f' "$(value raw.properties djl.batch1.rows_per_s)") |
| 64 | $(calc '%.0f' "$(value raw.properties djl.batch64.rows_per_s)") |

Plain DJL predictor, ${THROUGHPUT_SECONDS} s per batch size after 5 s of warm-up.
EOF
}

storage_warning() {
  $STORAGE_UNJOURNALED || return 0
  printf '\n**Note:** ext4 without a journal looks for recently deleted inodes on every file it creates. ClickHouse creates about 60 files per insert and deletes merged parts continually, so here its inserts cost up to twice the CPU they cost on a journaled ext4 or tmpfs, and the cost grows during the run. For figures that reflect the gateway, set MODELGATE_SERVICES_DIR to a folder on a journaled file system (and MODELGATE_CH_HTTP_PORT/MODELGATE_CH_TCP_PORT to free ports if a ClickHouse already runs).\n'
}

# Events dropped under full load mean the writer fell behind: the ON figure then overstates what the
# gateway sustains while logging everything.
dropped_warning() {
  if [[ $DROPPED =~ ^[0-9]+$ ]] && (( DROPPED == 0 )); then return 0; fi
  printf '\n**Warning:** %s events were dropped (telemetry queue full): the logging-ON rate is above what the writer sustains, so it is an upper bound on throughput with complete logging.\n' "$DROPPED"
}

# The open-loop figures include the generator's own lateness; when that alone exceeds the 1 ms budget,
# the machine was too busy for a sub-millisecond comparison.
lag_warning() {
  local worst
  worst=$(awk -F= '/send_lag_p99_us=/ { if ($2 > max) max = $2 } END { printf "%.0f", max }' \
    "$RUN_DIR/loadgen.properties" "$RUN_DIR/raw.properties")
  if (( worst <= 1000 )); then return 0; fi
  printf '\n**Warning:** a load generator started calls up to %d µs late (p99): the machine was too busy (other processes) for a sub-millisecond comparison; rerun on a quiet machine.\n' "$worst"
}

latency_row() {
  local label=$1 file=$2 prefix=$3
  printf '| %s | %.0f | %.0f | %.0f | %.0f | %d | %.0f |' "$label" \
    "$(value "$file" "$prefix.p50_us")" "$(value "$file" "$prefix.p99_us")" "$(value "$file" "$prefix.p999_us")" \
    "$(value "$file" "$prefix.max_us")" \
    "$(( $(value "$file" "$prefix.failed") + $(value "$file" "$prefix.unfinished") ))" \
    "$(value "$file" "$prefix.send_lag_p99_us")"
}

# ---- the run ------------------------------------------------------------------------------------
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
REVISION=$(source_revision)   # before the report overwrites its own file
prepare
log "run folder: ${RUN_DIR#"$REPO_ROOT"/}"

describe_clickhouse_storage
start_gateways
throughput_rounds
stop_process OFF_PID
stop_process ASYNC_PID

log "gateway, logging on: open loop at $RATE requests/s, ${WARMUP} s warm-up, ${MEASURE} s measured"
bench_java LoadGenBench loadgen -Dbench.url="$URL" -Dbench.rate="$RATE" -Dbench.connections="$CONNECTIONS" \
  -Dbench.warmupSeconds="$WARMUP" -Dbench.seconds="$MEASURE"
SERVED=$(metric_sum modelgate_requests_seconds_count || echo unknown)
DROPPED=$(metric_sum modelgate_events_dropped_total || echo unknown)
stop_process ON_PID   # SIGTERM flushes the last batch, so the row count below is final
LOGGED=$(ch_sql "SELECT count() FROM $DATABASE.predictions" || echo unknown)

log "raw engine in-process: open loop at $RATE calls/s, then throughput (about $(( 2 * (WARMUP + MEASURE) + 2 * (THROUGHPUT_SECONDS + 5) )) s)"
bench_java RawEngineBench raw -Dbench.rate="$RATE" -Dbench.warmupSeconds="$WARMUP" -Dbench.seconds="$MEASURE" \
  -Dbench.throughputWarmupSeconds=5 -Dbench.throughputSeconds="$THROUGHPUT_SECONDS"

mkdir -p "$(dirname "$RESULTS_FILE")"
report | tee "$RESULTS_FILE"
log "written to ${RESULTS_FILE#"$REPO_ROOT"/} (raw figures and logs in ${RUN_DIR#"$REPO_ROOT"/})"
