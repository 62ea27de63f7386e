#!/usr/bin/env bash
# Builds ModelGate's container image without Docker Hub and without a daemon (opt-in: the build takes a few
# minutes and ~1.5 GB of scratch space; nothing else in the build or the tests runs it).
#   1. base:  a minimal Debian root made by `mmdebstrap --variant=extract` from Debian packages (libc6,
#             libstdc++6 and libgcc-s1 for ONNX Runtime's native library, zlib1g for the JVM, busybox for the
#             health check), with documentation, locales and package metadata removed, and a "modelgate"
#             user (uid/gid 10001);
#   2. JRE:   jlink from this machine's JDK 17 with the modules the gateway needs (jdeps over the jar's classes,
#             plus those loaded by name);
#   3. app:   gateway/target/modelgate.jar with the natives of other platforms removed, and the demo model;
#   4. image: `buildah build` of deploy/image/Containerfile over that context, stored in a private
#             containers/storage under .run/image/storage and written as an OCI archive.
# Run the result with podman (see README "Running in production"), or push it to a registry with
# `skopeo copy oci-archive:target/modelgate-image.oci.tar docker://REGISTRY/modelgate:TAG`.
#
# usage: scripts/build-image.sh [--tag NAME:TAG]     (default localhost/modelgate:0.1.0)
# needs:  root (mmdebstrap and buildah in their root modes), the Debian mirror, a built jar
#         (mvn -B -DskipTests package -pl gateway -am); installs mmdebstrap, buildah, zip, unzip when missing.
# env:    MODELGATE_IMAGE_WORK  scratch folder (default .run/image), MODELGATE_DEBIAN_MIRROR, MODELGATE_DEBIAN_SUITE
set -euo pipefail

die() { printf 'build-image.sh: %s\n' "$*" >&2; exit 1; }
step() { printf '%(%H:%M:%S)T build-image.sh: %s\n' -1 "$*"; }

REPO=$(cd "$(dirname "$0")/.." && pwd)
TAG=localhost/modelgate:0.1.0
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) TAG=${2:?--tag needs NAME:TAG}; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
done

WORK=${MODELGATE_IMAGE_WORK:-$REPO/.run/image}
SUITE=${MODELGATE_DEBIAN_SUITE:-bookworm}
MIRROR=${MODELGATE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
JAR=$REPO/gateway/target/modelgate.jar
JDK=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
OUT=$REPO/target/modelgate-image.oci.tar
UID_GID=10001
# private image storage, so that the build neither needs nor disturbs a system-wide one
STORAGE=(--root "$WORK/storage" --runroot "$WORK/runroot" --storage-driver vfs)

[ "$(id -u)" -eq 0 ] || die "run as root (mmdebstrap and buildah run in their root modes here)"
[ -f "$JAR" ] || die "no $JAR: build it first (mvn -B -DskipTests package -pl gateway -am)"
[ -x "$JDK/bin/jlink" ] && [ -d "$JDK/jmods" ] || die "no jlink/jmods under $JDK (set JAVA_HOME to a full JDK 17)"
missing=()
for tool in mmdebstrap buildah zip unzip; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

start=$SECONDS
# every file's and the image's date: the last commit's, so that the same commit gives the same layers
EPOCH=$(git -C "$REPO" log -1 --format=%ct 2>/dev/null || echo 0)
CONTEXT=$WORK/context
rm -rf "$CONTEXT" && mkdir -p "$CONTEXT/app/demo"

step "1/4 base: mmdebstrap $SUITE (extract variant)"
# extract: the packages and their dependencies unpacked, no maintainer scripts, no dpkg or apt in the image
# (mmdebstrap runs no hooks in this variant: the tree is trimmed here, then packed with numeric owners)
ROOTFS=$WORK/rootfs
rm -rf "$ROOTFS"
mmdebstrap --quiet --variant=extract --include=libc6,libgcc-s1,libstdc++6,zlib1g,busybox \
  --format=directory "$SUITE" "$ROOTFS" "$MIRROR"
rm -rf "$ROOTFS"/usr/share/{doc,man,info,lintian,locale,gdb,perl5,debconf,bash-completion,initramfs-tools,pixmaps} \
  "$ROOTFS"/usr/lib/x86_64-linux-gnu/gconv "$ROOTFS"/var/lib/{dpkg,apt} "$ROOTFS"/var/cache/{apt,debconf} \
  "$ROOTFS"/var/log/* "$ROOTFS"/etc/{apt,dpkg}
printf 'root:x:0:0:root:/root:/sbin/nologin\nmodelgate:x:%s:%s:ModelGate:/tmp:/sbin/nologin\n' $UID_GID $UID_GID >"$ROOTFS/etc/passwd"
printf 'root:x:0:\nmodelgate:x:%s:\n' $UID_GID >"$ROOTFS/etc/group"
mkdir -p "$ROOTFS/tmp" "$ROOTFS/var/lib/modelgate"
chmod 1777 "$ROOTFS/tmp"
chown $UID_GID:$UID_GID "$ROOTFS/var/lib/modelgate" && chmod 0750 "$ROOTFS/var/lib/modelgate"
tar --numeric-owner --sort=name --mtime=@"$EPOCH" -C "$ROOTFS" -cf "$CONTEXT/rootfs.tar" .
base_done=$SECONDS

step "2/4 JRE: jlink from $JDK"
# The modules the jar's classes refer to, by jdeps over its unpacked classes (over the jar itself it reads one
# dependency's module-info.class as the whole jar's and reports three modules), plus those only loaded by name,
# which jdeps cannot see: the EC crypto provider (TLS), DNS for JNDI, the zip file system, the logging and
# management APIs that libraries reach reflectively.
CLASSES=$WORK/classes
rm -rf "$CLASSES" && mkdir -p "$CLASSES"
unzip -q "$JAR" '*.class' -x 'META-INF/versions/*' -d "$CLASSES"
find "$CLASSES" -name module-info.class -delete
DEPS=$("$JDK/bin/jdeps" --ignore-missing-deps --print-module-deps -q --multi-release 17 "$CLASSES")
rm -rf "$CLASSES"
MODULES=$DEPS,java.logging,java.management,java.xml,jdk.crypto.ec,jdk.naming.dns,jdk.zipfs
step "   modules: $MODULES"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --output "$CONTEXT/jre"
# Debian's JDK points lib/security/cacerts at the system's trust store: put the file itself in the image
if [ -f /etc/ssl/certs/java/cacerts ]; then
  rm -f "$CONTEXT/jre/lib/security/cacerts" && cp /etc/ssl/certs/java/cacerts "$CONTEXT/jre/lib/security/cacerts"
fi
for link in $(find "$CONTEXT/jre" -type l); do cp --remove-destination "$(readlink -f "$link")" "$link"; done
jre_done=$SECONDS

step "3/4 app: the jar (linux-x86_64 natives only) and the demo model"
cp "$JAR" "$CONTEXT/app/modelgate.jar"
# the fat jar carries every platform's natives; the image runs linux-x86_64 only
zip -q -d "$CONTEXT/app/modelgate.jar" 'ai/onnxruntime/native/osx-*' 'ai/onnxruntime/native/win-*' \
  'ai/onnxruntime/native/linux-aarch64/*' 'libduckdb_java.so_linux_arm64' 'libduckdb_java.so_osx_*' \
  'libduckdb_java.so_windows_*' 'META-INF/native/*osx*' 'META-INF/native/*aarch_64*' 'META-INF/native/*windows*' \
  'lib/osx/*' 'lib/macos/*' 'lib/windows/*' 'lib/linux/aarch64/*' 'jnilib/osx-*' 'jnilib/win-*' 'jnilib/linux-aarch64/*' \
  'native/lib/osx*' 'native/lib/win*' 2>/dev/null || [ $? -eq 12 ]
cp "$REPO/demo/fraud-score.onnx" "$REPO/demo/fraud-score-v2.onnx" "$CONTEXT/app/demo/"
cp "$REPO/deploy/image/modelgate.yaml" "$CONTEXT/app/modelgate.yaml"
app_done=$SECONDS

step "4/4 image: buildah build $TAG"
# --layers: one layer per ADD/COPY (buildah's default squashes a stage into one); docker format keeps
# HEALTHCHECK (the OCI image config has no field for it); the OCI archive below is the
# same image, without it (Kubernetes uses the Deployment's probes)
buildah "${STORAGE[@]}" build --quiet --layers --format docker --isolation chroot --timestamp "$EPOCH" \
  -f "$REPO/deploy/image/Containerfile" -t "$TAG" "$CONTEXT" >/dev/null
buildah "${STORAGE[@]}" rmi --prune >/dev/null 2>&1 || true   # the previous build's layers, now untagged
mkdir -p "$(dirname "$OUT")" && rm -f "$OUT"
buildah "${STORAGE[@]}" push --quiet "$TAG" "oci-archive:$OUT:$TAG"
image_done=$SECONDS

printf '\n%s  %s\n' "$TAG" "$OUT"
printf 'timings: base %ss, JRE %ss, app %ss, image %ss, total %ss\n' $((base_done - start)) $((jre_done - base_done)) \
  $((app_done - jre_done)) $((image_done - app_done)) $((image_done - start))
printf 'sizes: rootfs %s, JRE %s, app %s, OCI archive (compressed) %s\n' "$(du -sh "$CONTEXT/rootfs.tar" | cut -f1)" \
  "$(du -sh "$CONTEXT/jre" | cut -f1)" "$(du -sh "$CONTEXT/app" | cut -f1)" "$(du -sh "$OUT" | cut -f1)"
printf 'run:   podman --root %s --runroot %s --storage-driver vfs run --rm --read-only --network host %s\n' \
  "$WORK/storage" "$WORK/runroot" "$TAG"
