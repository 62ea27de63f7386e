#!/usr/bin/env bash
# Vendors the console's one third-party library, uPlot (MIT), from the npm registry into the gateway's
# resources: the ES module, its stylesheet and its licence. The result is committed, so neither the
# build nor CI needs npm; run this again only to change the pinned version.
#
# usage: scripts/vendor-console.sh
set -euo pipefail

VERSION=1.6.32
cd "$(dirname "$0")/.."
target=gateway/src/main/resources/console/vendor/uplot
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "uplot@$VERSION" >/dev/null)
tar xzf "$work/uplot-$VERSION.tgz" -C "$work"
mkdir -p "$target"
cp "$work/package/dist/uPlot.esm.js" "$target/uPlot.esm.js"
cp "$work/package/dist/uPlot.min.css" "$target/uPlot.min.css"
cp "$work/package/LICENSE" "$target/LICENSE.txt"
printf 'uPlot %s from the npm registry (npm pack uplot@%s), MIT licence: LICENSE.txt\n' "$VERSION" "$VERSION" > "$target/VERSION.txt"
echo "vendored uPlot $VERSION into $target"
