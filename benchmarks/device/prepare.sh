#!/usr/bin/env bash
# Run HERE (the build machine). Puts what run-h200.sh needs under benchmarks/target/device-carry (ignored by
# git; carry it with the device tool, carry=["benchmarks/target/device-carry"]):
#   jre/            a jlink-ed Java 25 runtime (java.base, logging, management, the Vector API incubator module,
#                   jdk.unsupported), since the GPU machine has no Java;
#   benchmarks.jar  the shaded benchmark jar (sparker-core, sparker-gpu with JOCL's native library, the
#                   TrainingStepRatio harness).
# Prints the sizes (the device tool carries at most 64 MiB).
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS="${MAVEN_OPTS:-} --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
CARRY=benchmarks/target/device-carry
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -q -B -ntp package -DskipTests -pl sparker-core,sparker-gpu,benchmarks -am
fi
rm -rf "$CARRY"
mkdir -p "$CARRY"
cp benchmarks/target/benchmarks.jar "$CARRY/"
"$JAVA_HOME/bin/jlink" \
  --add-modules java.base,java.logging,java.management,jdk.management,jdk.incubator.vector,jdk.unsupported,java.xml,java.sql \
  --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output "$CARRY/jre"
du -sh "$CARRY" "$CARRY/jre" "$CARRY/benchmarks.jar"
echo "carry: $CARRY   command: bash benchmarks/device/run-h200.sh"
