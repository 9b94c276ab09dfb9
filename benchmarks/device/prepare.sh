#!/usr/bin/env bash
# Run HERE (the build machine). Puts what the device scripts (run-h200.sh, run-paper-gpu.sh) need under
# benchmarks/target/device-carry and packs that folder into benchmarks/target/device-carry.tar.xz (both ignored
# by git; the folder is over the device tool's 64 MiB, so carry the archive, carry=
# ["benchmarks/target/device-carry.tar.xz"]; the scripts unpack it, see carry.sh):
#   jre/            a jlink-ed Java 25 runtime (java.base, logging, management, the Vector API incubator module,
#                   jdk.unsupported), since the GPU machine has no Java;
#   benchmarks.jar  the shaded benchmark jar (sparker-core, sparker-gpu with JOCL's native library, the
#                   TrainingStepRatio harness), for run-h200.sh;
#   sparker-cli.jar the command-line tool (its own jar, JOCL included), for run-paper-gpu.sh.
# Prints the sizes (the device tool carries at most 64 MiB).
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS="${MAVEN_OPTS:-} --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
CARRY=benchmarks/target/device-carry
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -q -B -ntp package -DskipTests -pl sparker-core,sparker-gpu,benchmarks,sparker-cli -am
fi
rm -rf "$CARRY"
mkdir -p "$CARRY"
cp benchmarks/target/benchmarks.jar sparker-cli/target/sparker-cli.jar "$CARRY/"
"$JAVA_HOME/bin/jlink" \
  --add-modules java.base,java.logging,java.management,jdk.management,jdk.incubator.vector,jdk.unsupported,java.xml,java.sql,java.desktop \
  --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output "$CARRY/jre"
tar -cf - -C benchmarks/target device-carry | xz -T0 -6 > benchmarks/target/device-carry.tar.xz
du -sh "$CARRY" "$CARRY/jre" "$CARRY/benchmarks.jar" "$CARRY/sparker-cli.jar" benchmarks/target/device-carry.tar.xz
echo "carry: benchmarks/target/device-carry.tar.xz   commands: bash benchmarks/device/run-h200.sh; bash benchmarks/device/run-paper-gpu.sh"
