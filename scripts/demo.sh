#!/usr/bin/env bash
# Runs the demo gateway on http://127.0.0.1:8080 with the bundled fraud-score model:
# starts ClickHouse (installing it if missing), builds the jar if needed, then serves until Ctrl-C.
#   MODELGATE_PORT=9090 scripts/demo.sh    # another port
#   MODELGATE_CH_HTTP_PORT=28123 scripts/demo.sh   # ClickHouse on another port (as scripts/services.sh)
#   scripts/demo.sh --rebuild               # rebuild the jar first
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

"$(pwd)/scripts/services.sh" start clickhouse
# the gateway logs to the ClickHouse just started, unless told otherwise
export MODELGATE_CLICKHOUSE_URL=${MODELGATE_CLICKHOUSE_URL:-http://127.0.0.1:${MODELGATE_CH_HTTP_PORT:-8123}}

jar=gateway/target/modelgate.jar
if [[ "${1:-}" == "--rebuild" || ! -f "$jar" ]]; then
  echo "building $jar ..."
  mvn -q -B -DskipTests package
fi

echo "console: http://127.0.0.1:${MODELGATE_PORT:-8080}/ui/ (log in with the demo's admin token, demo-admin-token)"
exec java -Xms256m -Xmx1g -jar "$jar" serve --config demo/modelgate.yaml
