#!/usr/bin/env bash
# Runs every test: unit tests of each module, then the end-to-end suite (src/test) against the
# assembled jar and real ClickHouse, Redis and Alertmanager, which this script installs and starts,
# plus the `cluster` profile (ZooKeeper and 2 shards x 2 replicas of ClickHouse) for the cluster-mode tests.
#   scripts/test.sh                 # everything
#   scripts/test.sh -pl experiments # extra arguments go to Maven
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/services.sh start
scripts/services.sh start cluster   # ZooKeeper + 2x2 ClickHouse nodes for the cluster-mode tests
scripts/tools.sh            # promtool and amtool for the alert-rule tests, Python grpcio for the gRPC tests
export MODELGATE_CLICKHOUSE_URL="http://127.0.0.1:${MODELGATE_CH_HTTP_PORT:-8123}"
export MODELGATE_REDIS_URL="redis://127.0.0.1:${MODELGATE_REDIS_PORT:-6379}"
export MODELGATE_ALERTMANAGER_URL="http://127.0.0.1:${MODELGATE_ALERTMANAGER_PORT:-9093}"
export MODELGATE_CLUSTER_URL="http://127.0.0.1:${MODELGATE_CLUSTER_HTTP_PORT:-18123}"

exec mvn -B verify "$@"
