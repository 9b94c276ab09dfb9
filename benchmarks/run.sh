#!/usr/bin/env bash
# Runs the SparKer JMH sweep and writes a Markdown table to benchmarks/results/latest.md.
#
#   benchmarks/run.sh            default subset (~10 minutes on 2 cores): 5 sizes, every engine present
#   benchmarks/run.sh --full     the whole sweep: M {10,50,200,1000} x N_R {20k,50k,100k,200k} + d=12
#   benchmarks/run.sh --quick    one small size, one iteration: checks the tooling only
#   extra options go to dev.sparker.bench.SweepRunner: --threads T --forks F --warmup W --iterations I
#                                 --scalar-limit EVALS --opencl-limit EVALS --out FILE --note TEXT
#   (scalar and opencl rows are limited to N x M <= 1.2e7 evaluations by default: both cost 15-70 ns per
#    evaluation on this CPU; raise the limits on a GPU machine or for a long run)
#   SKIP_BUILD=1 reuses benchmarks/target/benchmarks.jar; NICE=0 runs without nice.
#
# It also checks that vector steps at N_R = 200 000, M = 1000 run with -Xmx256m (HeapCheck).
set -euo pipefail
cd "$(dirname "$0")/.."

JDK25=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME="$JDK25"
JAVA="$JAVA_HOME/bin/java"
export MAVEN_OPTS="${MAVEN_OPTS:-} --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
JAR=benchmarks/target/benchmarks.jar
NICE_CMD=(nice -n 10)
[ "${NICE:-1}" = "0" ] && NICE_CMD=()

if [ "${SKIP_BUILD:-0}" != "1" ] || [ ! -f "$JAR" ]; then
  ./mvnw -q -B -ntp package -pl benchmarks -am -DskipTests
fi

JVM_ARGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)

echo "== heap check: vector steps at N_R = 200000, M = 1000 with -Xmx256m"
"${NICE_CMD[@]}" "$JAVA" -Xmx256m "${JVM_ARGS[@]}" -cp "$JAR" dev.sparker.bench.HeapCheck 2>&1 | grep -v '^WARNING'

echo "== JMH sweep"
"${NICE_CMD[@]}" "$JAVA" "${JVM_ARGS[@]}" -cp "$JAR" dev.sparker.bench.SweepRunner \
  --note "run with nice -n 10 on a machine shared with other jobs; expect noise" "$@"
