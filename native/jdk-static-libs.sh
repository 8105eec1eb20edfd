#!/usr/bin/env bash
# Builds the JDK's static libraries that a native-image executable links (libjava.a, libnio.a,
# libnet.a, libzip.a, ...: OpenJDK's `make static-libs-graal-image`) from Debian's openjdk source
# package, once, into a per-user cache, and prints the libraries' directory on the last line of
# stdout; the javac -h headers of the same build are kept beside it, in ../headers.
#
#   native/jdk-static-libs.sh
#
# No registry serves these libraries ready-made, and Debian's openjdk-25 source files answer 404
# (the Sources index lists them): the source is openjdk-26 from sid. The builder's class library
# is JDK 25; docs/images.md says what that means and what the native tests showed.
#
# Needs root for apt-get (build dependencies). Debian's package lists and sources for this are
# kept in the cache, so the machine's own apt configuration is untouched. Cold: about 10 minutes
# on two cores (configure 12 s, the libraries about 8 min). PIW_JDK_STATIC_CACHE moves the cache.
set -euo pipefail

log() { echo "[jdk static libs] $*" >&2; }
die() { log "error: $*"; exit 1; }

package="${PIW_JDK_SOURCE_PACKAGE:-openjdk-26}"
# Pinned, so that a new upload to sid neither rebuilds the libraries nor changes what is linked;
# the cached build is used without touching the network.
version="${PIW_JDK_SOURCE_VERSION:-26.0.2.1+1-1}"
suite=sid
boot_jdk="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cache="${PIW_JDK_STATIC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pod-identity-webhook/jdk-static-libs}"

out="$cache/$package-$version"
if compgen -G "$out/lib/libjava.a" >/dev/null; then
  log "static libraries of $package $version already in $out"
  echo "$out/lib"
  exit 0
fi
[[ -x "$boot_jdk/bin/javac" ]] || die "no boot JDK at $boot_jdk (set JAVA25 to a JDK 25)"

apt_dir="$cache/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
echo "deb-src http://deb.debian.org/debian $suite main" >"$apt_dir/sources.list"
apt_private=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "APT::Get::Only-Source=true")
log "reading the $suite Sources index"
apt-get "${apt_private[@]}" -qq update >&2 || die "apt-get update of $suite's sources failed"
if ! grep -qx "Version: $version" <<<"$(apt-cache "${apt_private[@]}" showsrc "$package" 2>/dev/null)"; then
  die "$suite no longer has $package $version (it has: $(apt-cache "${apt_private[@]}" showsrc "$package" 2>/dev/null |
    sed -n 's/^Version: //p' | paste -sd' ')); set PIW_JDK_SOURCE_VERSION to one of those"
fi

log "build dependencies (Debian packages)"
deps=(dpkg-dev quilt autoconf make zip unzip file gcc g++ libc6-dev zlib1g-dev libgif-dev libpng-dev
  libjpeg-dev libpcsclite-dev libfreetype-dev libfontconfig1-dev libasound2-dev libcups2-dev
  libx11-dev libxext-dev libxrender-dev libxrandr-dev libxtst-dev libxt-dev)
missing=()
for dep in "${deps[@]}"; do dpkg -s "$dep" >/dev/null 2>&1 || missing+=("$dep"); done
if [[ ${#missing[@]} -gt 0 ]]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

work="$cache/build-$version"
# A build that finished but was not installed (interrupted, say) is installed, not redone.
if [[ -f "$work/made" ]]; then
  log "installing the finished build in $work"
  cd "$work/src"
else
  rm -rf "$work"
  mkdir -p "$work"
  cd "$work"
  log "downloading $package $version (about 75 MB)"
  apt-get "${apt_private[@]}" -qq source --download-only "$package=$version" >&2 || die "cannot download $package $version"
  dpkg-source --no-check -x ./*.dsc src >&2
  cd src
  # Debian builds against the system's PC/SC library; its patch for that is applied by its rules,
  # not by the series dpkg-source applies.
  if [[ -f debian/patches/system-pcsclite.diff ]] && ! grep -qx system-pcsclite.diff debian/patches/series; then
    patch -p1 -s <debian/patches/system-pcsclite.diff
  fi

  log "configure"
  bash configure --with-boot-jdk="$boot_jdk" --with-debug-level=release --with-native-debug-symbols=none \
    --with-zlib=system --with-giflib=system --with-libpng=system --with-libjpeg=system --with-pcsclite=system \
    --disable-warnings-as-errors --with-version-opt="piw-static" >"$work/configure.log" 2>&1 ||
    { tail -30 "$work/configure.log" >&2; die "configure failed (log: $work/configure.log)"; }

  log "make static-libs-graal-image (cold: about 8 minutes)"
  start=$SECONDS
  make JOBS="$(nproc)" static-libs-graal-image >"$work/make.log" 2>&1 ||
    { tail -40 "$work/make.log" >&2; die "make static-libs-graal-image failed (log: $work/make.log)"; }
  log "built in $((SECONDS - start)) s"
  touch "$work/made"
fi

# images/static-libs-graal/lib (JDK 26; static-libs in earlier versions)
libs="$(find build -path '*images/static-libs*/lib' -type d | head -1)"
[[ -n "$libs" && -f "$libs/libjava.a" ]] || die "no libjava.a below build/*/images/static-libs*/lib"
headers="$(find build -path '*support/headers' -type d | head -1)"
[[ -n "$headers" ]] || die "no javac -h headers below build/*/support/headers"
rm -rf "$out"
mkdir -p "$out"
cp -r "$libs" "$out/lib"
# The JNI headers javac -h wrote: the Java signature each library function was compiled for,
# which native/NativeSignatures.java compares with the builder's class library.
cp -r "$headers" "$out/headers"
echo "$package $version, make static-libs-graal-image, boot JDK $("$boot_jdk/bin/java" -version 2>&1 | head -1)" >"$out/SOURCE"
rm -rf "$work"
log "installed $(ls "$out/lib" | wc -l) libraries into $out/lib"
echo "$out/lib"
