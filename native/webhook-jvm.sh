#!/bin/sh
# Entrypoint of the JVM image (Dockerfile.jvm): /webhook [upstream flags...]
# JAVA_OPTS holds the JVM flags; java.io.tmpdir follows TMPDIR (an emptyDir when the root is read-only).
# /deployments/app.aot is the AOT cache the image's training run recorded (native/aot/train.sh).
aot=""
[ ! -f /deployments/app.aot ] || aot="-XX:AOTCache=/deployments/app.aot"
exec java ${JAVA_OPTS} ${aot} -Djava.io.tmpdir="${TMPDIR:-/tmp}" -jar /deployments/quarkus-run.jar "$@"
