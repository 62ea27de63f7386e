#!/usr/bin/env bash
# Local peers for ModelGate development and tests: ClickHouse, Redis and Alertmanager on 127.0.0.1,
# each with its own data folder, started and stopped by PID (no systemd needed).
#
# usage: scripts/services.sh start|stop|status [clickhouse|redis|alertmanager ...]   (default: all three)
#
# Environment (defaults in brackets):
#   MODELGATE_SERVICES_DIR       data, logs and pid files        [<repo>/.run/services]
#   MODELGATE_CH_HTTP_PORT       ClickHouse HTTP port            [8123]
#   MODELGATE_CH_TCP_PORT        ClickHouse native port          [9000]
#   MODELGATE_REDIS_PORT         Redis port                      [6379]
#   MODELGATE_ALERTMANAGER_PORT  Alertmanager HTTP port          [9093]
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
ALL_SERVICES=(clickhouse redis alertmanager)
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
    alertmanager) echo "prometheus-alertmanager" ;;
  esac
}

# The Debian packages start their own system-wide instance on the default ports when systemd runs;
# this script wants its own instances in its own folders, so a unit we just caused to start is stopped.
system_unit_for() {
  case "$1" in
    clickhouse-server) echo clickhouse-server ;;
    redis-server) echo redis-server ;;
    prometheus-alertmanager) echo prometheus-alertmanager ;;
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
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  if [ -d /run/systemd/system ]; then
    for pkg in "${missing[@]}"; do
      unit=$(system_unit_for "$pkg")
      [ -n "$unit" ] && as_root systemctl disable --now "$unit" >/dev/null 2>&1 || true
    done
  fi
}

pid_file() { echo "$SERVICES_DIR/$1/$1.pid"; }

# Prints the PID when the pid file names a live process; guards against a recycled PID by checking
# that the process is still the expected binary.
live_pid() {
  local file pid binary
  file=$(pid_file "$1")
  [ -s "$file" ] || return 1
  pid=$(tr -dc '0-9' < "$file")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  case "$1" in
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

launch_clickhouse() {
  local dir=$SERVICES_DIR/clickhouse
  mkdir -p "$dir/data/tmp" "$dir/data/user_files" "$dir/data/format_schemas" "$dir/log"
  cat > "$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/log/server.log</log><errorlog>$dir/log/server.err.log</errorlog><size>100M</size><count>2</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$CH_HTTP_PORT</http_port>
  <tcp_port>$CH_TCP_PORT</tcp_port>
  <path>$dir/data/</path>
  <tmp_path>$dir/data/tmp/</tmp_path>
  <user_files_path>$dir/data/user_files/</user_files_path>
  <format_schema_path>$dir/data/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
</yandex>
XML
  cat > "$dir/users.xml" <<'XML'
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage><allow_experimental_low_cardinality_type>1</allow_experimental_low_cardinality_type></default></profiles>
  <users><default><password></password><networks><ip>::1</ip><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
  clickhouse-server --daemon --config-file="$dir/config.xml" --pid-file="$(pid_file clickhouse)"
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

stop_one() {
  local svc=$1 pid i
  if ! pid=$(live_pid "$svc"); then
    rm -f "$(pid_file "$svc")"
    log "$svc: not running"
    return 0
  fi
  kill "$pid"
  for ((i = 0; i < STOP_TIMEOUT_TENTHS; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$(pid_file "$svc")"
      log "$svc: stopped (pid $pid)"
      return 0
    fi
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$(pid_file "$svc")"
  log "$svc: killed (pid $pid did not stop within $((STOP_TIMEOUT_TENTHS / 10)) s)"
}

status_one() {
  local svc=$1 pid
  if pid=$(live_pid "$svc"); then
    if answers "$svc"; then log "$svc: running (pid $pid, $(endpoint "$svc"))"
    else log "$svc: not answering (pid $pid, $(endpoint "$svc"))"; fi
  else
    log "$svc: stopped"
  fi
}

main() {
  local command=${1:-}
  [ $# -gt 0 ] && shift
  local services=("$@") svc
  [ ${#services[@]} -eq 0 ] && services=("${ALL_SERVICES[@]}")
  for svc in "${services[@]}"; do
    case "$svc" in clickhouse|redis|alertmanager) ;; *) die "unknown service '$svc' (clickhouse, redis, alertmanager)" ;; esac
  done
  case "$command" in
    start)
      ensure_packages "${services[@]}"
      for svc in "${services[@]}"; do start_one "$svc"; done ;;
    stop)
      for svc in "${services[@]}"; do stop_one "$svc"; done ;;
    status)
      for svc in "${services[@]}"; do status_one "$svc"; done ;;
    *)
      die "usage: $0 start|stop|status [clickhouse|redis|alertmanager ...]" ;;
  esac
}

main "$@"
