#!/usr/bin/env bash
# Compiles the runtime helpers with warnings as errors and runs test_runtime.c against them.
#
#   native/runtime/test.sh [SVM_SOURCES_JAR]   (default: GraalVM 25.0.4's, in ~/.m2)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=${1:-${MAVEN_REPO:-$HOME/.m2/repository}/org/graalvm/nativeimage/svm/${GRAAL:-25.0.4}/svm-${GRAAL:-25.0.4}-sources.jar}
java_home=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}
[[ "$(uname -m)" == x86_64 ]] || { echo "test.sh: the helpers cover amd64 only (this is $(uname -m))" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/headers.sh" "$jar" "$work/include"
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -I"$work/include" -I"$java_home/include" -I"$java_home/include/linux" \
  "$here"/{jvm,libchelper,signals,cpufeatures_amd64,svm_container,test_runtime}.c -o "$work/test_runtime"
"$work/test_runtime"
