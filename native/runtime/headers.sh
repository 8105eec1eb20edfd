#!/usr/bin/env bash
# Writes the C headers the runtime helpers and the native-image builder's C queries share, into
# OUT_DIR: <arch>cpufeatures.h (the CPUFeatures struct, one byte per @CField of
# <Arch>LibCHelper.CPUFeatures, in declaration order) and svm_locale.h (LocaleCHelper's struct and
# constants). A GraalVM distribution ships these; here they come from the builder's sources jar.
#
#   native/runtime/headers.sh SVM_SOURCES_JAR OUT_DIR
set -euo pipefail
jar=$1 out=$2
[[ -f "$jar" ]] || { echo "headers.sh: no sources jar $jar" >&2; exit 2; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && unzip -qo "$jar" 'com/oracle/svm/core/*LibCHelper.java')
for arch in amd64/AMD64 aarch64/AArch64 riscv64/RISCV64; do
  java_src="$work/com/oracle/svm/core/${arch%/*}/${arch#*/}LibCHelper.java"
  fields=$(grep -A1 '@CField' "$java_src" | sed -nE 's/.*boolean ([A-Za-z0-9_]+)\(.*/    char \1;/p')
  [[ -n "$fields" ]] || { echo "headers.sh: no CPUFeatures fields in $java_src" >&2; exit 1; }
  printf 'typedef struct {\n%s\n} CPUFeatures;\n' "$fields" >"$out/${arch%/*}cpufeatures.h"
done
cat >"$out/svm_locale.h" <<'C'
#define SVM_LOCALE_INITIALIZATION_SUCCEEDED 0
#define SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY 1
typedef struct {
    char *display_language, *display_script, *display_country, *display_variant;
    char *format_language, *format_script, *format_country, *format_variant;
} svm_locale_props_t;
C
