#!/usr/bin/env bash
# Command-line tools the test suite needs but the JVM build does not bring: `promtool` (Debian package
# `prometheus`) to check and unit-test the alert rules in dashboards/prometheus, and `amtool` (Debian
# package `prometheus-alertmanager`) to check dashboards/alertmanager/alertmanager.yml, `openssl` (package
# `openssl`), with which the TLS tests make their certificate authorities, and Python's gRPC
# (`python3-grpcio`, `python3-grpc-tools`) for the gRPC client the end-to-end suite runs
# (src/test/python/oip_grpc_client.py, with Debian's /usr/bin/python3), `redis-sentinel` (package
# `redis-sentinel`) for the Sentinel setup of `scripts/services.sh start sentinel`, `haproxy` (package
# `haproxy`), the load balancer in front of the fleet test's replicas, and `chromium` with its
# `chromedriver` (packages `chromium`, `chromium-driver`), the browser the console's tests drive (ConsoleE2ETest).
# Packages are installed only when their tool is missing; running it again is a no-op.
#
# usage: scripts/tools.sh
set -euo pipefail

die() { printf 'tools.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root (or sudo) to run: $*"; fi
}

# tool -> Debian package that ships it
declare -A PACKAGE_OF=([promtool]=prometheus [amtool]=prometheus-alertmanager [openssl]=openssl
                       [redis-sentinel]=redis-sentinel [haproxy]=haproxy [chromium]=chromium [chromedriver]=chromium-driver)

# Python module (of Debian's python3, not whichever python3 is first on PATH) -> Debian package
PYTHON=/usr/bin/python3
declare -A PACKAGE_OF_MODULE=([grpc]=python3-grpcio [grpc_tools]=python3-grpc-tools)

has_module() { [ -x "$PYTHON" ] && "$PYTHON" -c "import $1" >/dev/null 2>&1; }

missing=()
for tool in "${!PACKAGE_OF[@]}"; do
  command -v "$tool" >/dev/null || missing+=("${PACKAGE_OF[$tool]}")
done
for module in "${!PACKAGE_OF_MODULE[@]}"; do
  has_module "$module" || missing+=("${PACKAGE_OF_MODULE[$module]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

printf 'installing: %s\n' "${missing[*]}"
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

# Installing the packages under systemd also starts a system-wide Prometheus/Alertmanager/Sentinel/HAProxy on
# the default ports; the suite runs its own instances (scripts/services.sh, the tests), so those units are stopped.
if [ -d /run/systemd/system ]; then
  for unit in prometheus prometheus-alertmanager redis-sentinel haproxy; do
    as_root systemctl disable --now "$unit" >/dev/null 2>&1 || true
  done
fi

for tool in "${!PACKAGE_OF[@]}"; do
  command -v "$tool" >/dev/null || die "$tool still missing after installing ${PACKAGE_OF[$tool]}"
done
for module in "${!PACKAGE_OF_MODULE[@]}"; do
  has_module "$module" || die "python module $module still missing after installing ${PACKAGE_OF_MODULE[$module]}"
done
