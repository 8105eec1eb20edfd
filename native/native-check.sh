#!/bin/bash
# Native check: carries the packaged application (target/native-sources, written by
# `mvn package -Pnative-check`, i.e. quarkus.native.sources-only) through GraalVM native-image
# analysis and compilation, up to the relocatable object file. Linking is skipped
# (-H:+ExitAfterRelocatableImageWrite): the static libraries a link needs (libjvm.a, libjava.a,
# ...) ship only with a GraalVM/Mandrel distribution, which Dockerfile.native uses instead.
#
# The builder is GraalVM's own (org.graalvm.nativeimage:svm and friends, from Maven Central, cached
# in ~/.m2) running on a plain Temurin 25 JDK. native/NativeArgs.java does the driver's part.
#
# usage: native/native-check.sh [NATIVE_SOURCES_DIR]   (default target/native-sources)
# env:   JAVA25   Temurin 25 JDK (default /usr/lib/jvm/temurin-25-jdk-amd64)
#        GRAAL    builder version (default 25.0.4)
#        XMX      builder heap (default 6g)
#        NC_WORK  work directory (default target/native-check)
#        MAVEN_REPO local Maven repository (default ~/.m2/repository)
# exit:  0 when the object file was written, non-zero otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
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
(cd "$W/c" && unzip -qo "$G/nativeimage/svm/$GRAAL/svm-$GRAAL-sources.jar" 'com/oracle/svm/core/*LibCHelper.java')
for arch in amd64/AMD64 aarch64/AArch64 riscv64/RISCV64; do
  java_src="$W/c/com/oracle/svm/core/${arch%/*}/${arch#*/}LibCHelper.java"
  { echo "typedef struct {"
    grep -A1 '@CField' "$java_src" | sed -nE 's/.*boolean ([A-Za-z0-9_]+)\(.*/    char \1;/p'
    echo "} CPUFeatures;"; } > "$W/include/${arch%/*}cpufeatures.h"
done
cat > "$W/include/svm_locale.h" <<'C'
#define SVM_LOCALE_INITIALIZATION_SUCCEEDED 0
#define SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY 1
typedef struct {
    char *display_language, *display_script, *display_country, *display_variant;
    char *format_language, *format_script, *format_country, *format_variant;
} svm_locale_props_t;
C
# Empty archives: the builder checks the static libraries exist; only the linker would read them.
for lib in java nio net zip jvm libchelper svm_container; do ar rcs "$W/libs/lib$lib.a"; done

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
  -Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader \
  -Djdk.internal.lambda.disableEagerInitialization=true \
  `# the driver names the GraalVM release; Quarkus' feature parses it` \
  "-Dorg.graalvm.vendorversion=GraalVM CE $GRAAL+7.1" -Dorg.graalvm.version=$GRAAL \
  @"$W/exports.args" @"$W/jvm.args" \
  --upgrade-module-path "$G/compiler/compiler/$GRAAL/compiler-$GRAAL.jar" --module-path "$MODULE_PATH" \
  -m org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner \
  "${BUILDER_ARGS[@]}" \
  -H:Path="$W/out" -H:TempDirectory="$W/tmp" -H:ImageBuildID="$(cat /proc/sys/kernel/random/uuid)" \
  -H:CLibraryPath="$W" -H:CLibraryPath="$W/libs" \
  -H:+ExitAfterRelocatableImageWrite 2>&1 | tee "$W/build.log"
rc=${PIPESTATUS[0]}
set -e
obj=$(find "$W/tmp" -name '*.o' 2>/dev/null | head -1)
if [ "$rc" -ne 0 ] || [ -z "$obj" ]; then
  echo "native-check: FAILED (builder exit $rc${obj:+, }${obj:-, no object file}); log: $W/build.log" >&2
  exit $(( rc == 0 ? 1 : rc ))
fi
grep -a -E 'found reachable|Peak RSS|^\[[1-8]/8\]' "$W/build.log" | sed 's/^/native-check: /'
echo "native-check: OK in $(( $(date +%s) - start )) s; object file $obj ($(du -h "$obj" | cut -f1))"
