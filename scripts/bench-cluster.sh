#!/usr/bin/env bash
# Benchmarks how many events/s one gateway's telemetry writer pushes into ClickHouse: the single server
# against the 2 shards x 2 replicas of `scripts/services.sh start cluster`, in the same run, modes measured
# in alternation (BENCH_ROUNDS rounds) so that the machine's drift hits them alike. Writes bench/CLUSTER.md.
#   single / cluster_local       the gateway's BatchWriter (exactly-once staged inserts, default settings):
#                                into the single server, and in cluster mode into the node's local table
#   *_plain                      the same encoded batches by plain INSERTs one after the other: single
#                                server, the node's local table, the Distributed table (insert_distributed_sync=1)
# Events are offered as fast as the writer takes them; a window ends with the writer's final flush and
# counts the rows that landed. Runs the writer in-process (bench/cluster/ClusterIngestBench.java) against
# the classes of this tree (gateway/target/classes, compiled by Maven offline, nothing installed).
# About 3 minutes with the defaults. Starts what is not running (the single server, the cluster) and
# stops only what it started.
#
# Environment (defaults in brackets):
#   BENCH_SECONDS          each window                                             [15]
#   BENCH_ROUNDS           rounds of the five modes                                [2]
#   BENCH_BATCH            rows per plain INSERT (the writer's batch_size default) [5000]
#   BENCH_MAVEN_ARGS       extra Maven arguments                                   [-o]
#   BENCH_RESULTS_FILE     the markdown report                                     [bench/CLUSTER.md]
#   MODELGATE_CH_HTTP_PORT, MODELGATE_CLUSTER_HTTP_PORT ... as scripts/services.sh
set -euo pipefail
export LC_ALL=C

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

SECONDS_PER_WINDOW=${BENCH_SECONDS:-15}
ROUNDS=${BENCH_ROUNDS:-2}
BATCH=${BENCH_BATCH:-5000}
read -r -a MAVEN_ARGS <<< "${BENCH_MAVEN_ARGS--o}"
RESULTS_FILE=${BENCH_RESULTS_FILE:-$REPO_ROOT/bench/CLUSTER.md}
SINGLE_URL="http://127.0.0.1:${MODELGATE_CH_HTTP_PORT:-8123}"
CLUSTER_URL="http://127.0.0.1:${MODELGATE_CLUSTER_HTTP_PORT:-18123}"
RUN_DIR=$REPO_ROOT/.run/bench-cluster/$(date -u +%Y%m%dT%H%M%SZ)
STARTED_SINGLE=false
STARTED_CLUSTER=false
CHILD_PID=""

log() { printf '[bench-cluster %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'bench-cluster.sh: %s\n' "$*" >&2; exit 1; }
# shellcheck source=lib/bench-common.sh
source "$REPO_ROOT/scripts/lib/bench-common.sh"

for setting in BENCH_SECONDS:"$SECONDS_PER_WINDOW" BENCH_ROUNDS:"$ROUNDS" BENCH_BATCH:"$BATCH"; do
  [[ ${setting#*:} =~ ^[1-9][0-9]*$ ]] || die "${setting%%:*} must be a whole number >= 1, got '${setting#*:}'"
done

cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  if [ -n "$CHILD_PID" ]; then kill -TERM "$CHILD_PID" 2>/dev/null; wait "$CHILD_PID" 2>/dev/null; fi
  if $STARTED_CLUSTER; then scripts/services.sh stop cluster; fi
  if $STARTED_SINGLE; then scripts/services.sh stop clickhouse; fi
  [ "$status" -eq 0 ] || log "failed; logs are in ${RUN_DIR#"$REPO_ROOT"/}"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

answers() { curl -fsS --max-time 2 "$1/?query=SELECT%201" >/dev/null 2>&1; }
mkdir -p "$RUN_DIR"
# asked over HTTP rather than by services.sh status: the servers may belong to another services folder
if answers "$SINGLE_URL"; then
  log "single ClickHouse answers at $SINGLE_URL: using it, leaving it running"
else
  scripts/services.sh start clickhouse
  STARTED_SINGLE=true
fi
if answers "$CLUSTER_URL"; then
  log "cluster answers at $CLUSTER_URL: using it, leaving it running"
else
  scripts/services.sh start cluster
  STARTED_CLUSTER=true
fi

log "compiling the gateway (this tree, offline) and bench/cluster"
mvn "${MAVEN_ARGS[@]}" -q -B -pl gateway -am compile >"$RUN_DIR/maven.log" 2>&1 \
  || { tail -n 30 "$RUN_DIR/maven.log" >&2; die "the gateway does not compile"; }
mvn "${MAVEN_ARGS[@]}" -q -B -f gateway/pom.xml dependency:build-classpath -Dmdep.outputFile="$RUN_DIR/classpath.txt" \
  >>"$RUN_DIR/maven.log" 2>&1 || { tail -n 30 "$RUN_DIR/maven.log" >&2; die "cannot resolve the gateway's classpath"; }
CLASSPATH_ALL="$REPO_ROOT/gateway/target/classes:$(cat "$RUN_DIR/classpath.txt")"
javac --release 17 -nowarn -d "$RUN_DIR/classes" -cp "$CLASSPATH_ALL" bench/cluster/*.java >"$RUN_DIR/javac.log" 2>&1 \
  || { cat "$RUN_DIR/javac.log" >&2; die "bench/cluster does not compile"; }

log "measuring: $ROUNDS rounds x 5 modes x ${SECONDS_PER_WINDOW} s"
run_child java -Xms256m -Xmx1g -Dbench.single.url="$SINGLE_URL" -Dbench.cluster.url="$CLUSTER_URL" \
  -Dbench.seconds="$SECONDS_PER_WINDOW" -Dbench.rounds="$ROUNDS" -Dbench.batch="$BATCH" -Dbench.dir="$RUN_DIR" \
  -Dbench.out="$RUN_DIR/cluster.properties" -cp "$RUN_DIR/classes:$CLASSPATH_ALL" dev.modelgate.bench.cluster.ClusterIngestBench \
  >"$RUN_DIR/bench.log" 2>&1 || { tail -n 30 "$RUN_DIR/bench.log" >&2; die "ClusterIngestBench failed"; }
grep -E '^(round|single rows)' "$RUN_DIR/bench.log" || true

ratio() { calc '%.2f' "$(value cluster.properties "$1_events_per_s") / $(value cluster.properties "$2_events_per_s")"; }
{
  echo "# Telemetry ingest: single ClickHouse vs a 2 x 2 cluster"
  echo
  echo "Generated by \`scripts/bench-cluster.sh\` on $(date -u +%Y-%m-%d) at commit $(source_revision); $(nproc) cores,"
  echo "ClickHouse $(curl -fsS --max-time 5 "$SINGLE_URL/?query=SELECT%20version()" || echo '?') (single server) and $(curl -fsS --max-time 5 "$CLUSTER_URL/?query=SELECT%20version()" || echo '?') (the four cluster nodes),"
  echo "ZooKeeper $(dpkg-query -W -f='${Version}' zookeeper 2>/dev/null || echo '?'), everything on this one machine."
  echo "$ROUNDS rounds of ${SECONDS_PER_WINDOW}-s windows, modes in alternation; medians, events/s (all windows in brackets)."
  echo
  echo "| mode | events/s | vs single |"
  echo "|---|---:|---:|"
  for mode in single cluster_local single_plain cluster_local_plain cluster_distributed_plain; do
    base=single; [[ $mode == *_plain ]] && base=single_plain
    echo "| $mode | $(value cluster.properties "${mode}_events_per_s") ($(value cluster.properties "${mode}_all")) | $(ratio "$mode" "$base") |"
  done
  echo
  echo "- \`single\`, \`cluster_local\`: the gateway's telemetry writer (exactly-once staged inserts, batches of up to 5,000),"
  echo "  one gateway. In cluster mode it writes the ReplicatedMergeTree table of the node it talks to."
  echo "- \`*_plain\`: the same encoded batches of $BATCH rows by plain INSERTs one after the other (no exactly-once):"
  echo "  into the single server, the node's local table, and the Distributed table with \`insert_distributed_sync=1\`."
  echo "- Four ClickHouse nodes and ZooKeeper share the machine's cores with the single server and the writer: the"
  echo "  figures compare the write paths, not what four machines would take."
} >"$RESULTS_FILE"
log "wrote ${RESULTS_FILE#"$REPO_ROOT"/}"
cat "$RESULTS_FILE"
