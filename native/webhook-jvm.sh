#!/bin/sh
# Entrypoint of the JVM image (Dockerfile.jvm): /webhook [upstream flags...]
# JAVA_OPTS holds the JVM flags; java.io.tmpdir follows TMPDIR (an emptyDir when the root is read-only).
exec java ${JAVA_OPTS} -Djava.io.tmpdir="${TMPDIR:-/tmp}" -jar /deployments/quarkus-run.jar "$@"
