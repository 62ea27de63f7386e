#!/usr/bin/env bash
# Local peers for ModelGate development and tests: ClickHouse, Redis and Alertmanager on 127.0.0.1,
# each with its own data folder, started and stopped by PID (no systemd needed).
#
# usage: scripts/services.sh start|stop|status [clickhouse|redis|alertmanager|sentinel ...]   (default: the first three)
#        scripts/services.sh start|stop|status cluster
#
# `sentinel` (never started by default) is a Redis failover setup of its own, beside the plain Redis: two
# redis-server processes (redis-a starts as the primary, redis-b as its replica) and three `redis-sentinel`
# processes that monitor them under the master name `modelgate` (quorum 2), so the gateway can use
#   redis-sentinel://127.0.0.1:26391,127.0.0.1:26392,127.0.0.1:26393/0#modelgate
# `start sentinel` starts whichever of the five is not running: a node that was killed comes back as a
# replica of the primary the sentinels name now. `scripts/services.sh sentinel-status` prints each node's role.
#
# The `cluster` profile is a ClickHouse cluster for cluster-mode tests and benchmarks, beside (never
# instead of) the single server above: ZooKeeper and 2 shards x 2 replicas of the same clickhouse
# binary, cluster name `modelgate`, each node with its own folder under <services dir>/cluster/.
#   node  shard replica  http   tcp    interserver
#   n1    01    n1       18123  19001  19011
#   n2    01    n2       18124  19002  19012
#   n3    02    n3       18125  19003  19013
#   n4    02    n4       18126  19004  19014        ZooKeeper: 127.0.0.1:12181
# Ports move with MODELGATE_CLUSTER_HTTP_PORT / _TCP_PORT / _INTERSERVER_PORT (the first node's; the
# others follow) and MODELGATE_CLUSTER_ZK_PORT. `start cluster` also restarts a node that died (e.g.
# after a test's kill -9) and leaves running ones alone.
#
# Environment (defaults in brackets):
#   MODELGATE_SERVICES_DIR       data, logs and pid files        [<repo>/.run/services]
#   MODELGATE_CH_HTTP_PORT       ClickHouse HTTP port            [8123]
#   MODELGATE_CH_TCP_PORT        ClickHouse native port          [9000]
#   MODELGATE_REDIS_PORT         Redis port                      [6379]
#   MODELGATE_ALERTMANAGER_PORT  Alertmanager HTTP port          [9093]
#   MODELGATE_SENTINEL_REDIS_PORTS   redis-a and redis-b of `sentinel`     [6391,6392]
#   MODELGATE_SENTINEL_PORTS         its three sentinels                   [26391,26392,26393]
#   MODELGATE_SENTINEL_DOWN_AFTER_MS a primary unanswering this long is down [1000]
#
# Packages come from Debian main (ClickHouse there is 18.16, see DESIGN.md §5) and are installed only
# when missing. `start` is idempotent: a service that is already up is reported and left alone.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVICES_DIR=${MODELGATE_SERVICES_DIR:-$REPO_ROOT/.run/services}
CH_HTTP_PORT=${MODELGATE_CH_HTTP_PORT:-8123}
CH_TCP_PORT=${MODELGATE_CH_TCP_PORT:-9000}
REDIS_PORT=${MODELGATE_REDIS_PORT:-6379}
AM_PORT=${MODELGATE_ALERTMANAGER_PORT:-9093}
IFS=, read -r -a SENTINEL_REDIS_PORTS <<< "${MODELGATE_SENTINEL_REDIS_PORTS:-6391,6392}"
IFS=, read -r -a SENTINEL_PORTS <<< "${MODELGATE_SENTINEL_PORTS:-26391,26392,26393}"
SENTINEL_DOWN_AFTER_MS=${MODELGATE_SENTINEL_DOWN_AFTER_MS:-1000}
SENTINEL_MASTER=modelgate
ALL_SERVICES=(clickhouse redis alertmanager)
CLUSTER_HTTP_PORT=${MODELGATE_CLUSTER_HTTP_PORT:-18123}
CLUSTER_TCP_PORT=${MODELGATE_CLUSTER_TCP_PORT:-19001}
CLUSTER_INTERSERVER_PORT=${MODELGATE_CLUSTER_INTERSERVER_PORT:-19011}
CLUSTER_ZK_PORT=${MODELGATE_CLUSTER_ZK_PORT:-12181}
CLUSTER_NODES=(n1 n2 n3 n4)
READY_TIMEOUT_TENTHS=300   # 30 s: ClickHouse 18.16 starts in < 1 s here, a cold disk may be slower
STOP_TIMEOUT_TENTHS=150    # 15 s of SIGTERM before SIGKILL

log() { printf '%s\n' "$*"; }
die() { printf 'services.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root (or sudo) to run: $*"; fi
}

packages_for() {
  case "$1" in
    clickhouse)   echo "clickhouse-server clickhouse-client" ;;
    redis)        echo "redis-server" ;;   # pulls redis-tools (redis-cli)
    sentinel)     echo "redis-server redis-sentinel" ;;
    alertmanager) echo "prometheus-alertmanager" ;;
    cluster)      echo "clickhouse-server clickhouse-client zookeeper" ;;
  esac
}

# The Debian packages start their own system-wide instance on the default ports when systemd runs;
# this script wants its own instances in its own folders, so a unit we just caused to start is stopped.
system_unit_for() {
  case "$1" in
    clickhouse-server) echo clickhouse-server ;;
    redis-server) echo redis-server ;;
    redis-sentinel) echo redis-sentinel ;;
    prometheus-alertmanager) echo prometheus-alertmanager ;;
    zookeeper) echo zookeeper ;;
  esac
}

ensure_packages() {
  local wanted=(curl) missing=() svc pkg
  for svc in "$@"; do
    # shellcheck disable=SC2207
    wanted+=($(packages_for "$svc"))
  done
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
  if [ -d /run/systemd/system ]; then
    for pkg in "${missing[@]}"; do
      unit=$(system_unit_for "$pkg")
      [ -n "$unit" ] && as_root systemctl disable --now "$unit" >/dev/null 2>&1 || true
    done
  fi
}

pid_file() {
  case "$1" in
    redis-[ab]|sentinel-[123]) echo "$SERVICES_DIR/sentinel/$1.pid" ;;   # the nodes of the sentinel setup
    *) echo "$SERVICES_DIR/$1/$1.pid" ;;
  esac
}

# Prints the PID when the pid file names a live process; guards against a recycled PID by checking
# that the process is still the expected binary.
live_pid() {
  local file pid binary
  file=$(pid_file "$1")
  [ -s "$file" ] || return 1
  pid=$(tr -dc '0-9' < "$file")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  case "$1" in
    redis-[ab]|sentinel-[123]) binary=redis ;;
    clickhouse) binary=clickhouse ;;
    redis) binary=redis-server ;;
    alertmanager) binary=alertmanager ;;
  esac
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "$binary" || return 1
  echo "$pid"
}

answers() {
  case "$1" in
    clickhouse)   curl -fsS --max-time 2 "http://127.0.0.1:$CH_HTTP_PORT/?query=SELECT%201" >/dev/null 2>&1 ;;
    redis)        [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] ;;
    alertmanager) curl -fsS --max-time 2 "http://127.0.0.1:$AM_PORT/-/ready" >/dev/null 2>&1 ;;
  esac
}

endpoint() {
  case "$1" in
    clickhouse)   echo "http 127.0.0.1:$CH_HTTP_PORT, tcp 127.0.0.1:$CH_TCP_PORT" ;;
    redis)        echo "127.0.0.1:$REDIS_PORT" ;;
    alertmanager) echo "http 127.0.0.1:$AM_PORT" ;;
  esac
}

error_log() {
  case "$1" in
    clickhouse)   echo "$SERVICES_DIR/clickhouse/log/server.err.log" ;;
    redis)        echo "$SERVICES_DIR/redis/redis.log" ;;
    alertmanager) echo "$SERVICES_DIR/alertmanager/alertmanager.log" ;;
  esac
}

# server_common_xml DIR: what every ClickHouse server of this script has in its config.xml (logs, folders
# under DIR, users, time zone), between <yandex> and its own ports
server_common_xml() {
  local dir=$1
  cat <<XML
  <logger><level>warning</level><log>$dir/log/server.log</log><errorlog>$dir/log/server.err.log</errorlog><size>100M</size><count>2</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <path>$dir/data/</path>
  <tmp_path>$dir/data/tmp/</tmp_path>
  <user_files_path>$dir/data/user_files/</user_files_path>
  <format_schema_path>$dir/data/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
XML
}

launch_clickhouse() {
  local dir=$SERVICES_DIR/clickhouse
  mkdir -p "$dir/data/tmp" "$dir/data/user_files" "$dir/data/format_schemas" "$dir/log"
  cat > "$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
$(server_common_xml "$dir")
  <http_port>$CH_HTTP_PORT</http_port>
  <tcp_port>$CH_TCP_PORT</tcp_port>
  <mark_cache_size>268435456</mark_cache_size>
</yandex>
XML
  users_xml > "$dir/users.xml"
  clickhouse-server --daemon --config-file="$dir/config.xml" --pid-file="$(pid_file clickhouse)"
}

users_xml() {
  cat <<'XML'
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage><allow_experimental_low_cardinality_type>1</allow_experimental_low_cardinality_type></default></profiles>
  <users><default><password></password><networks><ip>::1</ip><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
}

launch_redis() {
  local dir=$SERVICES_DIR/redis
  mkdir -p "$dir"
  # No persistence: Redis holds only rebuildable state in tests and development.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --daemonize yes --pidfile "$(pid_file redis)" --dir "$dir" --logfile "$dir/redis.log"
}

launch_alertmanager() {
  local dir=$SERVICES_DIR/alertmanager
  mkdir -p "$dir/data"
  # A null receiver: the gateway posts alerts through the API; tests read them back from it.
  cat > "$dir/alertmanager.yml" <<'YAML'
route:
  receiver: "null"
receivers:
  - name: "null"
YAML
  nohup prometheus-alertmanager --config.file="$dir/alertmanager.yml" --storage.path="$dir/data" \
    --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= \
    >"$dir/alertmanager.log" 2>&1 </dev/null &
  echo $! > "$(pid_file alertmanager)"
}

start_one() {
  local svc=$1 pid i
  if pid=$(live_pid "$svc"); then
    log "$svc: already running (pid $pid, $(endpoint "$svc"))"
    return 0
  fi
  if answers "$svc"; then
    die "$svc: $(endpoint "$svc") is already served by a process this script did not start; stop it or choose other ports (see the header of this script)"
  fi
  "launch_$svc"
  for ((i = 0; i < READY_TIMEOUT_TENTHS; i++)); do
    if answers "$svc" && pid=$(live_pid "$svc"); then
      log "$svc: started (pid $pid, $(endpoint "$svc"))"
      return 0
    fi
    sleep 0.1
  done
  tail -n 20 "$(error_log "$svc")" >&2 2>/dev/null || true
  die "$svc: did not become ready within $((READY_TIMEOUT_TENTHS / 10)) s"
}

# stop_pid NAME PID_FILE PID: SIGTERM to PID (empty: not running), SIGKILL after STOP_TIMEOUT_TENTHS; removes PID_FILE
stop_pid() {
  local name=$1 file=$2 pid=$3 i
  if [ -z "$pid" ]; then
    rm -f "$file"
    log "$name: not running"
    return 0
  fi
  kill "$pid"
  for ((i = 0; i < STOP_TIMEOUT_TENTHS; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$file"
      log "$name: stopped (pid $pid)"
      return 0
    fi
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$file"
  log "$name: killed (pid $pid did not stop within $((STOP_TIMEOUT_TENTHS / 10)) s)"
}

stop_one() { stop_pid "$1" "$(pid_file "$1")" "$(live_pid "$1" || true)"; }

status_one() {
  local svc=$1 pid
  if pid=$(live_pid "$svc"); then
    if answers "$svc"; then log "$svc: running (pid $pid, $(endpoint "$svc"))"
    else log "$svc: not answering (pid $pid, $(endpoint "$svc"))"; fi
  else
    log "$svc: stopped"
  fi
}

# ---- sentinel: two redis-server nodes and three redis-sentinel processes --------------------------------

SENTINEL_NODES=(redis-a redis-b sentinel-1 sentinel-2 sentinel-3)

node_port() {
  case "$1" in
    redis-a) echo "${SENTINEL_REDIS_PORTS[0]}" ;;
    redis-b) echo "${SENTINEL_REDIS_PORTS[1]}" ;;
    sentinel-*) echo "${SENTINEL_PORTS[$((${1#sentinel-} - 1))]}" ;;
  esac
}

# The primary's port as the first sentinel that answers names it; nothing when none answers.
sentinel_primary_port() {
  local port addr
  for port in "${SENTINEL_PORTS[@]}"; do
    addr=$(redis-cli -h 127.0.0.1 -p "$port" SENTINEL get-master-addr-by-name "$SENTINEL_MASTER" 2>/dev/null | sed -n 2p)
    [ -n "$addr" ] && { echo "$addr"; return 0; }
  done
  return 1
}

launch_sentinel_node() {
  local node=$1 dir=$SERVICES_DIR/sentinel port primary
  port=$(node_port "$node")
  mkdir -p "$dir"
  case "$node" in
    redis-*)
      # No persistence, like the plain Redis. A node started while the sentinels name a primary joins as
      # its replica: a killed primary that comes back must not serve its empty data set as a primary.
      local replicaof=()
      if primary=$(sentinel_primary_port); then
        [ "$primary" != "$port" ] && replicaof=(--replicaof 127.0.0.1 "$primary")
      elif [ "$node" = redis-b ]; then
        replicaof=(--replicaof 127.0.0.1 "$(node_port redis-a)")
      fi
      redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no "${replicaof[@]}" \
        --daemonize yes --pidfile "$(pid_file "$node")" --dir "$dir" --logfile "$dir/$node.log" ;;
    sentinel-*)
      # Sentinel rewrites its configuration file (what it learnt of replicas, peers and the current
      # primary), so each keeps its own, written only the first time.
      local conf=$dir/$node.conf
      if [ ! -s "$conf" ]; then
        cat > "$conf" <<CONF
bind 127.0.0.1
port $port
dir $dir
sentinel resolve-hostnames no
sentinel monitor $SENTINEL_MASTER 127.0.0.1 $(node_port redis-a) 2
sentinel down-after-milliseconds $SENTINEL_MASTER $SENTINEL_DOWN_AFTER_MS
sentinel failover-timeout $SENTINEL_MASTER 10000
sentinel parallel-syncs $SENTINEL_MASTER 1
CONF
      fi
      redis-sentinel "$conf" --daemonize yes --pidfile "$(pid_file "$node")" --logfile "$dir/$node.log" ;;
  esac
}

# Ready: every node answers, the replica's link to the primary is up, and every sentinel sees the
# replica and the two other sentinels (both are needed before a failover can be agreed on).
sentinel_ready() {
  local node port primary
  for node in "${SENTINEL_NODES[@]}"; do
    [ "$(redis-cli -h 127.0.0.1 -p "$(node_port "$node")" ping 2>/dev/null)" = PONG ] || return 1
  done
  primary=$(sentinel_primary_port) || return 1
  for node in redis-a redis-b; do
    port=$(node_port "$node")
    [ "$port" = "$primary" ] && continue
    redis-cli -h 127.0.0.1 -p "$port" info replication 2>/dev/null | grep -q 'master_link_status:up' || return 1
  done
  for port in "${SENTINEL_PORTS[@]}"; do
    redis-cli -h 127.0.0.1 -p "$port" SENTINEL master "$SENTINEL_MASTER" 2>/dev/null \
      | awk 'prev == "num-slaves" && $1 < 1 { bad = 1 } prev == "num-other-sentinels" && $1 < 2 { bad = 1 } { prev = $1 } END { exit bad }' \
      || return 1
    redis-cli -h 127.0.0.1 -p "$port" SENTINEL replicas "$SENTINEL_MASTER" 2>/dev/null | grep -qx 'slave' || return 1
  done
}

sentinel_url() {
  local hosts=() port
  for port in "${SENTINEL_PORTS[@]}"; do hosts+=("127.0.0.1:$port"); done
  local IFS=,
  echo "redis-sentinel://${hosts[*]}/0#$SENTINEL_MASTER"
}

start_sentinel() {
  local node pid started=() i
  for node in "${SENTINEL_NODES[@]}"; do
    if pid=$(live_pid "$node"); then continue; fi
    if [ "$(redis-cli -h 127.0.0.1 -p "$(node_port "$node")" ping 2>/dev/null)" = PONG ]; then
      die "sentinel: port $(node_port "$node") ($node) is already served by a process this script did not start"
    fi
    launch_sentinel_node "$node"
    started+=("$node")
  done
  # a restarted replica needs a full sync and the sentinels a few hello rounds (2 s apart) to see it
  for ((i = 0; i < READY_TIMEOUT_TENTHS * 2; i++)); do
    if sentinel_ready; then
      log "sentinel: ${started[*]:-nothing} started; primary 127.0.0.1:$(sentinel_primary_port) ($(sentinel_url))"
      return 0
    fi
    sleep 0.1
  done
  tail -n 20 "$SERVICES_DIR"/sentinel/*.log >&2 2>/dev/null || true
  die "sentinel: not ready within $((READY_TIMEOUT_TENTHS / 5)) s"
}

stop_sentinel() {
  local node pid i
  # sentinels first, so that stopping the primary does not start a failover
  for node in sentinel-1 sentinel-2 sentinel-3 redis-b redis-a; do
    pid=$(live_pid "$node") || { rm -f "$(pid_file "$node")"; continue; }
    kill "$pid"
    for ((i = 0; i < STOP_TIMEOUT_TENTHS && $(kill -0 "$pid" 2>/dev/null && echo 1 || echo 0); i++)); do sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$(pid_file "$node")"
    log "sentinel: $node stopped (pid $pid)"
  done
}

status_sentinel() {
  local node pid role
  for node in "${SENTINEL_NODES[@]}"; do
    if pid=$(live_pid "$node"); then
      role=$(redis-cli -h 127.0.0.1 -p "$(node_port "$node")" role 2>/dev/null | head -n 1)
      log "sentinel: $node running (pid $pid, 127.0.0.1:$(node_port "$node"), ${role:-not answering})"
    else
      log "sentinel: $node stopped"
    fi
  done
  primary=$(sentinel_primary_port) && log "sentinel: primary 127.0.0.1:$primary ($(sentinel_url))"
  return 0
}

# The function doing COMMAND for a service: the sentinel setup has its own, the others share one.
one_of() { if [ "$1" = sentinel ]; then echo "$2_sentinel"; else echo "$2_one"; fi; }

# ---- the `cluster` profile ----------------------------------------------------------------------

cluster_dir() { echo "$SERVICES_DIR/cluster/$1"; }
node_index() { local i; for i in "${!CLUSTER_NODES[@]}"; do if [ "${CLUSTER_NODES[$i]}" = "$1" ]; then echo "$i"; return 0; fi; done; return 1; }
node_http_port() { echo $((CLUSTER_HTTP_PORT + $(node_index "$1"))); }
node_tcp_port() { echo $((CLUSTER_TCP_PORT + $(node_index "$1"))); }
node_shard() { printf '%02d' $(($(node_index "$1") / 2 + 1)); }

# PID of a cluster member (zookeeper or a node) from its pid file, if alive and still the expected program
cluster_pid() {
  local file pid pattern
  file=$(cluster_dir "$1")/$1.pid
  [ -s "$file" ] || return 1
  pid=$(tr -dc '0-9' < "$file")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  if [ "$1" = zookeeper ]; then pattern=QuorumPeerMain; else pattern=clickhouse; fi
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "$pattern" || return 1
  echo "$pid"
}

zookeeper_answers() {
  local reply=''
  { exec 3<>"/dev/tcp/127.0.0.1/$CLUSTER_ZK_PORT"; } 2>/dev/null || return 1
  printf 'ruok' >&3
  read -r -t 2 reply <&3 || true
  exec 3>&- 3<&-
  [ "$reply" = imok ]
}

node_answers() { curl -fsS --max-time 2 "http://127.0.0.1:$(node_http_port "$1")/?query=SELECT%201" >/dev/null 2>&1; }

launch_zookeeper() {
  local dir classpath
  dir=$(cluster_dir zookeeper)
  mkdir -p "$dir/data"
  cat > "$dir/zoo.cfg" <<CFG
tickTime=2000
dataDir=$dir/data
clientPort=$CLUSTER_ZK_PORT
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=ruok,stat,mntr
autopurge.purgeInterval=1
CFG
  # zookeeper.jar's manifest lists its Debian dependencies; slf4j-simple (if there) makes it log
  classpath=/usr/share/java/zookeeper.jar
  [ -f /usr/share/java/slf4j-simple.jar ] && classpath=$classpath:/usr/share/java/slf4j-simple.jar
  nohup java -Xmx256m -cp "$classpath" org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/zoo.cfg" \
    >"$dir/zookeeper.log" 2>&1 </dev/null &
  echo $! > "$dir/zookeeper.pid"
}

cluster_remote_servers() {
  local shard replica i
  printf '<remote_servers><modelgate>'
  for shard in 0 1; do
    printf '<shard><internal_replication>true</internal_replication>'
    for replica in 0 1; do
      i=$((shard * 2 + replica))
      printf '<replica><host>127.0.0.1</host><port>%s</port></replica>' $((CLUSTER_TCP_PORT + i))
    done
    printf '</shard>'
  done
  printf '</modelgate></remote_servers>'
}

launch_node() {
  local node=$1 dir i
  dir=$(cluster_dir "$node")
  i=$(node_index "$node")
  mkdir -p "$dir/data/tmp" "$dir/data/user_files" "$dir/data/format_schemas" "$dir/log"
  # session_timeout_ms: a node killed with -9 leaves its ZooKeeper session behind, and its tables stay
  # read-only after a restart until that session expires: 10 s instead of 30 s.
  # internal_replication: an insert through a Distributed table goes to one replica of each shard and
  # ReplicatedMergeTree copies it to the other (instead of the Distributed table writing both)
  cat > "$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
$(server_common_xml "$dir")
  <http_port>$(node_http_port "$node")</http_port>
  <tcp_port>$(node_tcp_port "$node")</tcp_port>
  <interserver_http_port>$((CLUSTER_INTERSERVER_PORT + i))</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <mark_cache_size>134217728</mark_cache_size>
  <zookeeper><node><host>127.0.0.1</host><port>$CLUSTER_ZK_PORT</port></node><session_timeout_ms>10000</session_timeout_ms></zookeeper>
  $(cluster_remote_servers)
  <macros><shard>$(node_shard "$node")</shard><replica>$node</replica></macros>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
</yandex>
XML
  cp "$SERVICES_DIR/cluster/users.xml" "$dir/users.xml"
  clickhouse-server --daemon --config-file="$dir/config.xml" --pid-file="$dir/$node.pid"
}

wait_for() {
  local what=$1 check=$2 i
  for ((i = 0; i < READY_TIMEOUT_TENTHS; i++)); do
    "$check" "${@:3}" && return 0
    sleep 0.1
  done
  die "$what: did not become ready within $((READY_TIMEOUT_TENTHS / 10)) s (logs under $SERVICES_DIR/cluster/)"
}

start_cluster() {
  local node pid
  mkdir -p "$SERVICES_DIR/cluster"
  # the same users.xml as the single server's (written by launch_clickhouse's template)
  users_xml > "$SERVICES_DIR/cluster/users.xml"
  if pid=$(cluster_pid zookeeper); then
    log "cluster zookeeper: already running (pid $pid, 127.0.0.1:$CLUSTER_ZK_PORT)"
  else
    zookeeper_answers && die "cluster zookeeper: 127.0.0.1:$CLUSTER_ZK_PORT is served by a process this script did not start"
    launch_zookeeper
    wait_for "cluster zookeeper" zookeeper_answers
    log "cluster zookeeper: started (pid $(cluster_pid zookeeper), 127.0.0.1:$CLUSTER_ZK_PORT)"
  fi
  for node in "${CLUSTER_NODES[@]}"; do
    if pid=$(cluster_pid "$node"); then
      log "cluster $node: already running (pid $pid, http 127.0.0.1:$(node_http_port "$node"))"
      continue
    fi
    node_answers "$node" && die "cluster $node: port $(node_http_port "$node") is served by a process this script did not start"
    launch_node "$node"
  done
  for node in "${CLUSTER_NODES[@]}"; do
    wait_for "cluster $node" node_answers "$node"
    log "cluster $node: running (pid $(cluster_pid "$node"), shard $(node_shard "$node"), http 127.0.0.1:$(node_http_port "$node"), tcp $(node_tcp_port "$node"))"
  done
}

stop_cluster_member() { stop_pid "cluster $1" "$(cluster_dir "$1")/$1.pid" "$(cluster_pid "$1" || true)"; }

stop_cluster() {
  local node
  for node in "${CLUSTER_NODES[@]}"; do stop_cluster_member "$node"; done
  stop_cluster_member zookeeper
}

status_cluster() {
  local member pid
  for member in zookeeper "${CLUSTER_NODES[@]}"; do
    if pid=$(cluster_pid "$member"); then log "cluster $member: running (pid $pid)"
    else log "cluster $member: stopped"; fi
  done
}

main() {
  local command=${1:-}
  [ $# -gt 0 ] && shift
  local services=("$@") svc
  [ ${#services[@]} -eq 0 ] && services=("${ALL_SERVICES[@]}")
  if [ "${services[*]}" = cluster ]; then
    case "$command" in
      start) ensure_packages cluster; start_cluster ;;
      stop) stop_cluster ;;
      status) status_cluster ;;
      *) die "usage: $0 start|stop|status cluster" ;;
    esac
    return 0
  fi
  for svc in "${services[@]}"; do
    case "$svc" in clickhouse|redis|alertmanager|sentinel) ;; *) die "unknown service '$svc' (clickhouse, redis, alertmanager, sentinel)" ;; esac
  done
  case "$command" in
    start)
      ensure_packages "${services[@]}"
      for svc in "${services[@]}"; do "$(one_of "$svc" start)" "$svc"; done ;;
    stop)
      for svc in "${services[@]}"; do "$(one_of "$svc" stop)" "$svc"; done ;;
    status)
      for svc in "${services[@]}"; do "$(one_of "$svc" status)" "$svc"; done ;;
    *)
      die "usage: $0 start|stop|status [clickhouse|redis|alertmanager|sentinel ...]" ;;
  esac
}

main "$@"
