#!/bin/bash
# Native build of the packaged application (target/native-sources, written by
# `mvn package -Pnative-check`, i.e. quarkus.native.sources-only) with GraalVM's builder.
#
# The builder is GraalVM's own (org.graalvm.nativeimage:svm and friends, from Maven Central, cached
# in ~/.m2) running on a plain Temurin 25 JDK. native/NativeArgs.java does the driver's part.
#
#   native/native-check.sh [NATIVE_SOURCES_DIR]
#     analysis and compilation up to the relocatable object file (-H:+ExitAfterRelocatableImageWrite):
#     the quicker check, and the pom's -Pnative-check.
#   native/native-check.sh --link [NATIVE_SOURCES_DIR]
#     the executable, NC_WORK/out/webhook (CI builds it). The builder links it
#     against the JDK's static libraries (native/jdk-static-libs.sh builds them once from
#     Debian's OpenJDK source package and caches them) and this project's C runtime helpers
#     (native/runtime), which a GraalVM distribution would otherwise supply.
#
# env:   JAVA25   Temurin 25 JDK (default /usr/lib/jvm/temurin-25-jdk-amd64)
#        GRAAL    builder version (default 25.0.4)
#        XMX      builder heap (default 6g)
#        NC_WORK  work directory (default target/native-check)
#        MAVEN_REPO local Maven repository (default ~/.m2/repository)
# exit:  0 when the object file (or with --link the executable) was written, non-zero otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
LINK=0
if [ "${1:-}" = --link ]; then LINK=1; shift; fi
SRC=$(realpath "${1:-target/native-sources}")
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}
GRAAL=${GRAAL:-25.0.4}
W=$(realpath -m "${NC_WORK:-target/native-check}")
M2=${MAVEN_REPO:-$HOME/.m2/repository}
G=$M2/org/graalvm
[ -f "$SRC/native-image.args" ] || { echo "no $SRC/native-image.args: run mvn -B package -Pnative-check -DskipTests" >&2; exit 2; }
[ -x "$JAVA25/bin/java" ] || { echo "no JDK 25 at $JAVA25 (set JAVA25)" >&2; exit 2; }
# The Graal compiler jar is 25.0.4; Temurin 25.0.x carries the matching JVMCI API but a lower version string.
export JVMCI_VERSION_CHECK=ignore
start=$(date +%s)

# Builder jars (svm pulls the compiler, pointsto, objectfile, sdk ... transitively).
mvn -B -q -Dstyle.color=never dependency:get -Dartifact=org.graalvm.nativeimage:svm:$GRAAL >/dev/null
mvn -B -q -Dstyle.color=never dependency:get -Dtransitive=false -Dartifact=org.graalvm.nativeimage:svm:$GRAAL:jar:sources >/dev/null

rm -rf "$W" && mkdir -p "$W"/{jdk,c,include,libs,tmp,out}
# The builder looks for <java.home>/lib/svm/builder/lib/libreporterchelper.so (terminal width and
# peak RSS for its progress report). A hard-linked view of the JDK gets that one extra file.
cp -al "$JAVA25"/. "$W/jdk/" 2>/dev/null || cp -a "$JAVA25"/. "$W/jdk/"
mkdir -p "$W/jdk/lib/svm/builder/lib"
cat > "$W/c/reporter.c" <<'C'
#include <jni.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
JNIEXPORT jint JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getTerminalWindowColumns0(JNIEnv *env, jclass c) {
    struct winsize ws;
    return (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) ? ws.ws_col : 100;
}
JNIEXPORT jlong JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getPeakRSS0(JNIEnv *env, jclass c) {
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? (jlong) ru.ru_maxrss * 1024 : -1;
}
C
gcc -shared -fPIC -O2 -I"$JAVA25/include" -I"$JAVA25/include/linux" "$W/c/reporter.c" -o "$W/jdk/lib/svm/builder/lib/libreporterchelper.so"

# C headers the builder compiles small queries against (CPU feature struct, locale struct); a
# distribution ships them, here they are derived from the @CField accessors in the svm sources.
native/runtime/headers.sh "$G/nativeimage/svm/$GRAAL/svm-$GRAAL-sources.jar" "$W/include"
LIBRARY_PATHS=(-H:CLibraryPath="$W" -H:CLibraryPath="$W/libs")
if [ "$LINK" = 1 ]; then
  [ "$(uname -m)" = x86_64 ] || { echo "native-check: --link: the runtime helpers cover amd64 only (this is $(uname -m))" >&2; exit 2; }
  JDK_LIBS=$(JAVA25=$JAVA25 native/jdk-static-libs.sh | tail -1)
  [ -f "$JDK_LIBS/libjava.a" ] || { echo "native-check: --link: no JDK static libraries (native/jdk-static-libs.sh printed '$JDK_LIBS')" >&2; exit 1; }
  # The runtime helpers, one archive per @CLibrary name the image asks for.
  for src in jvm libchelper signals cpufeatures_amd64 svm_container; do
    gcc -c -std=gnu11 -O2 -fPIC -Wall -Wextra -Werror -I"$W/include" -I"$JAVA25/include" -I"$JAVA25/include/linux" \
      "native/runtime/$src.c" -o "$W/c/$src.o"
  done
  ar rcs "$W/libs/libjvm.a" "$W/c/jvm.o"
  ar rcs "$W/libs/liblibchelper.a" "$W/c/libchelper.o" "$W/c/signals.o" "$W/c/cpufeatures_amd64.o"
  ar rcs "$W/libs/libsvm_container.a" "$W/c/svm_container.o"
  LIBRARY_PATHS+=(-H:CLibraryPath="$JDK_LIBS")
  STOP=()
  echo "native-check: linking with the JDK static libraries in $JDK_LIBS ($(cat "$JDK_LIBS/../SOURCE" 2>/dev/null || echo unknown source))"
else
  # Empty archives: the builder checks the static libraries exist; only the linker would read them.
  for lib in java nio net zip jvm libchelper svm_container; do ar rcs "$W/libs/lib$lib.a"; done
  STOP=(-H:+ExitAfterRelocatableImageWrite)
fi

# Driver's part: native-image.args + META-INF/native-image of every jar -> builder arguments.
"$JAVA25/bin/java" native/NativeArgs.java "$SRC" "$W"
mapfile -t BUILDER_ARGS < "$W/builder.args"

# The builder modules need the JDK internals the native-image driver would open for them.
TARGETS=org.graalvm.nativeimage.builder,org.graalvm.nativeimage.pointsto,org.graalvm.nativeimage.base,org.graalvm.nativeimage.objectfile,org.graalvm.nativeimage.configure,jdk.graal.compiler,org.graalvm.truffle.compiler,org.graalvm.espresso.shared.svm,org.graalvm.nativeimage.libgraal,ALL-UNNAMED
for mod in java.base jdk.internal.vm.ci java.management jdk.management jdk.jfr jdk.internal.jvmstat jdk.unsupported \
           jdk.zipfs java.xml java.logging java.desktop java.naming java.rmi jdk.net java.security.jgss \
           jdk.crypto.cryptoki jdk.security.auth java.sql jdk.localedata jdk.charsets jdk.attach java.instrument \
           java.prefs jdk.management.jfr jdk.httpserver java.net.http; do
  "$JAVA25/bin/java" --describe-module "$mod" \
    | awk -v m="$mod" -v t="$TARGETS" '($1=="contains"){print "--add-exports=" m "/" $2 "=" t} ($1=="qualified"&&$2=="exports"){print "--add-exports=" m "/" $3 "=" t}'
done | sort -u > "$W/exports.args"

jar() { ls "$G/$1/$GRAAL/"*"-$GRAAL.jar" | grep -v sources; }
MODULE_PATH=$( { for a in nativeimage/svm nativeimage/pointsto nativeimage/objectfile nativeimage/native-image-base \
                        nativeimage/svm-configure nativeimage/svm-capnproto-runtime espresso/espresso-svm \
                        truffle/truffle-compiler sdk/nativeimage-libgraal sdk/word sdk/collections sdk/nativeimage; do jar $a; done; } | paste -sd:)

echo "native-check: building $(sed -n 's/^-H:Class=//p' "$W/builder.args") with GraalVM $GRAAL builder on $("$JAVA25/bin/java" -version 2>&1 | head -1)"
set +e
"$W/jdk/bin/java" -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI -XX:-UseJVMCICompiler \
  -Xss10m -Xmx"${XMX:-6g}" -XX:+UseParallelGC \
  --add-modules=ALL-SYSTEM -Dorg.graalvm.nativeimage.imagecode=buildtime \
  `# as the driver does: the builder's Module objects go into the image heap, and without native` \
  `# access the executable's first System.loadLibrary asks for a protection domain, reading a file` \
  `# before libjava's platform encoding exists ("platform encoding not initialized" at start)` \
  --enable-native-access=org.graalvm.nativeimage.builder \
  -Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader \
  -Djdk.internal.lambda.disableEagerInitialization=true \
  `# the driver names the GraalVM release; Quarkus' feature parses it` \
  "-Dorg.graalvm.vendorversion=GraalVM CE $GRAAL+7.1" -Dorg.graalvm.version=$GRAAL \
  @"$W/exports.args" @"$W/jvm.args" \
  --upgrade-module-path "$G/compiler/compiler/$GRAAL/compiler-$GRAAL.jar" --module-path "$MODULE_PATH" \
  -m org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner \
  "${BUILDER_ARGS[@]}" \
  -H:Path="$W/out" -H:TempDirectory="$W/tmp" -H:ImageBuildID="$(cat /proc/sys/kernel/random/uuid)" \
  "${LIBRARY_PATHS[@]}" "${STOP[@]}" 2>&1 | tee "$W/build.log"
rc=${PIPESTATUS[0]}
set -e
obj=$(find "$W/tmp" -name '*.o' 2>/dev/null | head -1)
if [ "$LINK" = 1 ]; then
  [ -n "$obj" ] || { echo "native-check: FAILED (builder exit $rc, no object file); log: $W/build.log" >&2; exit $(( rc == 0 ? 1 : rc )); }
  # The libraries are another JDK's build than the builder's class library: every JNI function
  # the object calls must have the same Java signature in both, or it would read wrong arguments.
  nm -u "$obj" | awk '{print $2}' >"$W/undefined.txt"
  "$JAVA25/bin/java" native/NativeSignatures.java "$JDK_LIBS/../headers" "$W/undefined.txt" | tail -20 ||
    { echo "native-check: FAILED: the JDK static libraries do not match the builder's class library" >&2; exit 1; }
  exe="$W/out/$(sed -n 's/^-H:Name=//p' "$W/builder.args" | tail -1)"
  if [ "$rc" -ne 0 ] || [ ! -x "$exe" ]; then
    # The linker names each symbol no library defined; say which piece should have.
    mapfile -t missing < <(grep -a -oE "undefined reference to \`[^']+'" "$W/build.log" | sed -E "s/.*\`([^']+)'/\1/" | sort -u)
    for symbol in "${missing[@]}"; do
      case "$symbol" in
        Java_*|JNI_OnLoad_*) where="the JDK static libraries ($JDK_LIBS)" ;;
        JVM_*|jio_*) where="native/runtime/jvm.c" ;;
        *) where="native/runtime (a Substrate VM C helper) or a system library" ;;
      esac
      echo "native-check: undefined at link: $symbol - expected from $where" >&2
    done
    echo "native-check: FAILED to link (builder exit $rc, ${#missing[@]} undefined symbols); log: $W/build.log" >&2
    exit $(( rc == 0 ? 1 : rc ))
  fi
  # The name the image gives it; `mvn verify -Pe2e` runs the native test set when it exists.
  ln -f "$exe" "$W/out/webhook"
  grep -a -E 'found reachable|Peak RSS|^\[[1-8]/8\]' "$W/build.log" | sed 's/^/native-check: /'
  echo "native-check: OK in $(( $(date +%s) - start )) s; executable $W/out/webhook ($(du -h "$exe" | cut -f1))"
  exit 0
fi
if [ "$rc" -ne 0 ] || [ -z "$obj" ]; then
  echo "native-check: FAILED (builder exit $rc${obj:+, }${obj:-, no object file}); log: $W/build.log" >&2
  exit $(( rc == 0 ? 1 : rc ))
fi
grep -a -E 'found reachable|Peak RSS|^\[[1-8]/8\]' "$W/build.log" | sed 's/^/native-check: /'
echo "native-check: OK in $(( $(date +%s) - start )) s; object file $obj ($(du -h "$obj" | cut -f1))"
