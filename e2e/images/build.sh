#!/usr/bin/env bash
# Builds every container image the real-node scenario (RealNodeIT) runs, from this repository's
# Dockerfiles and build scripts, with buildah; no registry is contacted for an image. Writes one
# docker-archive per image into the cache and prints that directory on the last line of stdout:
#
#   build.sh            # every image
#   build.sh webhook    # only those named (and what they are built from)
#
# Images (NAME: reference, built from):
#   debian-jre     local/debian-jre25:bookworm      debian-base + a JRE linked (jlink) from this machine's
#                                                    Temurin 25 (JAVA25), as eclipse-temurin's JRE images
#   debian-jdk     local/debian-jdk17:bookworm      debootstrap (+ JDK 17, curl, unzip)
#   debian-python  local/debian-python3:bookworm    debootstrap (+ python3, venv)
#   debian-base    local/debian-base:bookworm       debootstrap (minbase: glibc, zlib; + CA certificates)
#   pause          local/pause:e2e                  pause/Dockerfile (static C, containerd's sandbox_image)
#   webhook        local/pod-identity-webhook:e2e-jvm  ../../Dockerfile.jvm, BUILD_IMAGE/RUNTIME_IMAGE
#                                                    set to the Debian images above (its training run
#                                                    records the AOT cache with debian-jre's JDK 25)
#   webhook-native local/pod-identity-webhook:e2e-native  ../../Dockerfile.native, its build stage
#                                                    replaced (--build-context build=...) by the
#                                                    executable native/native-check.sh --link wrote
#                                                    (PIW_NATIVE_EXECUTABLE), RUNTIME_IMAGE debian-base;
#                                                    only when named
#   cert-manager   local/cert-manager-{controller,cainjector,webhook}:v1.21.2
#                                                    ../certmanager/Dockerfile over its build.sh
#   aws-cli        local/aws-cli:1.46.3             aws-cli/Dockerfile (PyPI awscli)
#
# Only the images a pod runs are archived (the Debian ones are bases of other builds). Each image
# carries the hash of its inputs; an image whose inputs did not change is not rebuilt,
# so a warm run only rebuilds the webhook when the sources changed. Debian's mirror, PyPI and
# Maven Central are reached at build time only. Builds that download see the machine's own CA
# certificates (/etc/ssl/certs, mounted, not copied: a proxy's CA here is not the images'), and
# the webhook's Maven build uses ~/.m2, mounted too.
#
# Cache: ${PIW_IMAGES_CACHE:-~/.cache/pod-identity-webhook/images}: buildah's storage and the
# archives. Progress goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# The JDK whose JRE the JVM image runs on (debian-jre), and whose release the webhook image's hash
# includes: its AOT cache holds only for that JVM.
jdk25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
log() { echo "[images] $*" >&2; }
die() { log "error: $*"; exit 1; }

for tool in buildah debootstrap gcc; do
  command -v "$tool" >/dev/null || die "$tool is not installed (Debian: apt-get install buildah debootstrap gcc)"
done

cache="${PIW_IMAGES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pod-identity-webhook/images}"
archives="$cache/archives"
mkdir -p "$archives" "$cache/debootstrap"
mirror="${PIW_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite=bookworm
awscli_version=1.46.3

# One storage for every build, so that FROM local/... finds the images built before it.
bah() { buildah --root "$cache/storage" --runroot "$cache/run" --storage-driver overlay "$@"; }
# A storage that cannot even list its images (copied without its overlay metadata, say) is
# started over: every image is then built cold.
if ! bah images >/dev/null 2>&1; then
  log "buildah storage in $cache/storage is unusable; starting it over"
  rm -rf "$cache/storage" "$cache/run"
fi

inputs_hash() { # files or directories... -> sha256 of names and contents
  find "$@" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16
}

current() { # reference hash: is the image there, built from these inputs (and archived, if a node image)?
  local have
  have="$(bah inspect --type image --format '{{index .ImageAnnotations "io.podidentity.e2e.inputs"}}' "$1" 2>/dev/null)" || return 1
  [[ "$have" == "$2" ]] && { [[ "$1" == local/debian-* ]] || [[ -s "$archives/$(archive_name "$1")" ]]; }
}

archive_name() { local r="${1#local/}"; echo "${r//[:\/]/_}.tar"; }

archive() { # reference: docker-archive for `ctr -n k8s.io images import`
  local file
  file="$archives/$(archive_name "$1")"
  rm -f "$file.part"
  bah push --quiet "$1" "docker-archive:$file.part:docker.io/$1" >&2
  mv "$file.part" "$file"
}

# A Debian root filesystem from debootstrap, made an image with buildah.
debian_image() { # reference packages(comma-separated)
  local ref="$1" packages="$2" hash rootfs ctr
  hash="$(echo "$suite $packages $mirror v1" | sha256sum | cut -c1-16)"
  if current "$ref" "$hash"; then log "$ref is current"; return; fi
  log "$ref: debootstrap $suite minbase + $packages (cold: a few minutes)"
  rootfs="$(mktemp -d "$cache/debootstrap/rootfs.XXXXXX")"
  debootstrap --variant=minbase --include="$packages" --cache-dir="$cache/debootstrap" \
    "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || { tail -20 "$rootfs.log" >&2; rm -rf "$rootfs"; die "debootstrap failed for $ref"; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* "$rootfs"/tmp/*
  tar -C "$rootfs" -cf "$rootfs.tar" .
  ctr="$(bah from scratch)"
  bah add "$ctr" "$rootfs.tar" / >/dev/null
  bah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --annotation "io.podidentity.e2e.inputs=$hash" --cmd /bin/sh "$ctr"
  bah commit --quiet "$ctr" "$ref" >/dev/null
  bah rm "$ctr" >/dev/null
  rm -rf "$rootfs" "$rootfs.tar" "$rootfs.log"
}

dockerfile_image() { # reference hash context dockerfile [buildah bud options...]
  local ref="$1" hash="$2" context="$3" dockerfile="$4"
  shift 4
  if current "$ref" "$hash"; then log "$ref is current"; return; fi
  log "$ref: buildah bud -f ${dockerfile#"$repo"/} $*"
  bah bud --quiet --isolation chroot --layers=false --annotation "io.podidentity.e2e.inputs=$hash" \
    --volume /etc/ssl/certs:/etc/ssl/certs:ro -f "$dockerfile" -t "$ref" "$@" "$context" >&2
  archive "$ref"
}

# Debian has no JDK 25 in bookworm: the JVM image's runtime is this machine's Temurin 25 (the one the
# native build uses), linked into a JRE of the modules Temurin's JRE images carry (no compiler, no
# tools), with its default CDS archive, on debian-base.
build_debian_jre() {
  local ref=local/debian-jre25:$suite hash modules jre ctr
  [[ -x "$jdk25/bin/jlink" ]] || die "debian-jre: no JDK 25 at $jdk25 (set JAVA25)"
  build_debian_base
  hash="$( (cat "$jdk25/release"; echo "$suite jlink v1") | sha256sum | cut -c1-16)"
  if current "$ref" "$hash"; then log "$ref is current"; return; fi
  log "$ref: jlink of $jdk25 on local/debian-base:$suite"
  modules="$("$jdk25/bin/java" --list-modules | sed 's/@.*//' | grep -v -E '^jdk\.(compiler|jshell|javadoc|jdeps|jlink|jpackage|hotspot\.agent|jartool|jstatd|jconsole|jdi|jdwp\.agent|editpad|jsobject|graal.*|incubator\..*|internal\.(ed|jshell|opt|le|md|vm\.ci))$' | paste -sd, -)"
  jre="$(mktemp -d "$cache/jre.XXXXXX")"
  rmdir "$jre"
  "$jdk25/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --generate-cds-archive --output "$jre" >&2
  ctr="$(bah from local/debian-base:$suite)"
  bah copy "$ctr" "$jre" /opt/java/openjdk >/dev/null
  bah config --env JAVA_HOME=/opt/java/openjdk \
    --env PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --annotation "io.podidentity.e2e.inputs=$hash" "$ctr"
  bah commit --quiet "$ctr" "$ref" >/dev/null
  bah rm "$ctr" >/dev/null
  rm -rf "$jre"
}
build_debian_jdk() { debian_image local/debian-jdk17:$suite ca-certificates,openjdk-17-jdk-headless,curl,unzip; }
build_debian_python() { debian_image local/debian-python3:$suite ca-certificates,python3,python3-venv; }
build_debian_base() { debian_image local/debian-base:$suite ca-certificates; }

build_pause() {
  local out="$cache/pause"
  mkdir -p "$out"
  gcc -static -O2 -Wall -Werror -o "$out/pause" "$here/pause/pause.c"
  cp "$here/pause/Dockerfile" "$out/Dockerfile"
  dockerfile_image local/pause:e2e "$(inputs_hash "$here/pause")" "$out" "$out/Dockerfile"
}

build_webhook() {
  build_debian_jre
  build_debian_jdk
  # The Dockerfile's own build: ./mvnw package in the JDK image, the aot-jar on the JRE image and
  # its training run there (the AOT cache).
  mkdir -p "$HOME/.m2"
  dockerfile_image local/pod-identity-webhook:e2e-jvm \
    "$(cd "$repo" && inputs_hash Dockerfile.jvm mvnw .mvn pom.xml src/main native/webhook-jvm.sh native/aot \
      examples/objects.yaml examples/review.json)-$(sha256sum <"$jdk25/release" | cut -c1-8)" \
    "$repo" "$repo/Dockerfile.jvm" \
    --build-arg BUILD_IMAGE=local/debian-jdk17:$suite --build-arg RUNTIME_IMAGE=local/debian-jre25:$suite \
    --volume "$HOME/.m2:/root/.m2"
}

build_webhook_native() {
  local executable="${PIW_NATIVE_EXECUTABLE:-}" stage="$cache/native-stage"
  [[ -n "$executable" ]] || executable="$(ls "$repo"/target/native-check/out/*-runner 2>/dev/null | head -1)"
  [[ -x "$executable" ]] || die "webhook-native: no native executable (set PIW_NATIVE_EXECUTABLE, or run native/native-check.sh --link)"
  build_debian_base
  # Dockerfile.native unchanged, but its Mandrel build stage is this machine's linked executable:
  # the final stage copies /build/webhook from the stage named build, which the context replaces.
  rm -rf "$stage"
  mkdir -p "$stage/build"
  cp "$executable" "$stage/build/webhook"
  dockerfile_image local/pod-identity-webhook:e2e-native \
    "$( (sha256sum "$stage/build/webhook"; cd "$repo" && inputs_hash Dockerfile.native) | sha256sum | cut -c1-16)" \
    "$repo" "$repo/Dockerfile.native" \
    --build-context "build=$stage" --build-arg RUNTIME_IMAGE=local/debian-base:$suite
}

build_cert_manager() {
  local bin component
  bin="$("$repo/e2e/certmanager/build.sh" | tail -1)"
  for component in controller cainjector webhook; do
    dockerfile_image "local/cert-manager-$component:v1.21.2" \
      "$( (sha256sum "$bin/$component" "$repo/e2e/certmanager/Dockerfile"; echo "$component") | sha256sum | cut -c1-16)" \
      "$bin" "$repo/e2e/certmanager/Dockerfile" --build-arg "COMPONENT=$component"
  done
}

build_aws_cli() {
  build_debian_python
  dockerfile_image "local/aws-cli:$awscli_version" "$(inputs_hash "$here/aws-cli")" "$here/aws-cli" \
    "$here/aws-cli/Dockerfile" --build-arg BASE_IMAGE=local/debian-python3:$suite \
    --build-arg "AWSCLI_VERSION=$awscli_version"
}

names=("$@")
[[ ${#names[@]} -gt 0 ]] || names=(pause webhook cert-manager aws-cli)
start=$SECONDS
for name in "${names[@]}"; do
  case "$name" in
    debian-jre | debian-jdk | debian-python | debian-base | pause | webhook | webhook-native | cert-manager | aws-cli)
      "build_${name//-/_}" ;;
    *) die "unknown image '$name'" ;;
  esac
done
# A rebuilt image leaves its predecessor untagged: drop those, or the storage grows each run.
bah rmi --prune >/dev/null 2>&1 || true
log "done in $((SECONDS - start)) s; archives in $archives"
echo "$archives"
