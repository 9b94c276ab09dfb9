#!/usr/bin/env bash
# Regenerates docs/guide/cli-reference.md from picocli's model of the ./sparker commands
# (dev.sparker.cli.CliReference). Run from anywhere; builds sparker-cli first (tests skipped).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
JDK25="${SPARKER_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ ! -x "$JDK25/bin/java" ]; then
  JDK25=$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -n 1 || true)
fi
export JAVA_HOME="$JDK25"
MAVEN_OPTS="${MAVEN_OPTS:-} --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow" \
  ./mvnw -q -B -ntp package -pl sparker-cli -am -DskipTests
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true \
  -cp sparker-cli/target/sparker-cli.jar dev.sparker.cli.CliReference docs/guide/cli-reference.md
echo "wrote docs/guide/cli-reference.md"
