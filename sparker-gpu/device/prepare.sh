#!/usr/bin/env bash
# Run HERE (the build machine), before a session that is lent the GPU machine. Builds the classes, then puts
# everything h200-check.sh needs under sparker-gpu/target/device-carry (ignored by git, carried by the device
# tool): a jlink-ed Java 25 runtime, the dependency jars and the class folders. Prints the size (limit 64 MiB).
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS="${MAVEN_OPTS:-} --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
CARRY=sparker-gpu/target/device-carry
rm -rf "$CARRY"
mkdir -p "$CARRY/lib"
./mvnw -q -B test-compile dependency:build-classpath -pl validation -am \
  -Dmdep.outputFile="$PWD/$CARRY/deps.txt" -Dmdep.includeScope=test
# jars from ~/.m2 and the reactor's class folders, in classpath order
cp_entries=()
IFS=":" read -r -a deps <<< "$(cat "$CARRY/deps.txt")"
for d in "${deps[@]}"; do
  if [[ "$d" == *.jar ]]; then
    cp "$d" "$CARRY/lib/"
    cp_entries+=("lib/$(basename "$d")")
  fi
done
for dir in sparker-core/target/classes sparker-gpu/target/classes sparker-gpu/target/test-classes \
           validation/target/test-classes; do
  name=$(echo "$dir" | tr '/' '_')
  cp -r "$dir" "$CARRY/$name"
  cp_entries=("$name" "${cp_entries[@]}")
done
(IFS=':'; echo "${cp_entries[*]}") > "$CARRY/classpath.txt"
rm "$CARRY/deps.txt"
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,java.xml,jdk.unsupported \
  --strip-java-debug-attributes --strip-native-debug-symbols objcopy=/usr/bin/objcopy --no-man-pages --no-header-files --compress=zip-9 --output "$CARRY/jre"
du -sh "$CARRY" "$CARRY/jre" "$CARRY/lib"
echo "carry: $CARRY  (run tool: carry=[\"$CARRY\"], command: bash sparker-gpu/device/h200-check.sh)"
