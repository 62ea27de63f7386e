# Helpers shared by scripts/bench.sh and scripts/bench-backends.sh (sourced, not run). Each script
# defines its own log() and die() (with its own name in the messages) and sets CLICKHOUSE_URL and
# RUN_DIR before calling these.

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

# cpu_ticks PID: user + system CPU time the process has used so far, in clock ticks (0 when it is gone).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# The running ClickHouse server's PID, as scripts/services.sh reports it (empty when it is not running).
clickhouse_pid() { scripts/services.sh status clickhouse 2>/dev/null | sed -n 's/.*running (pid \([0-9]*\).*/\1/p'; }
