#!/usr/bin/env bash
# Times the Spark job on local[2] against the single-process ./sparker expo1d on the same toys (same flags,
# 2 threads), twice, and checks that both wrote the same t for every toy. Needs JDK 25 and Maven Central
# (the first run downloads Spark 4.2.0, about 230 MB). Usage: docs/cluster/local-spark-timing.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${SPARKER_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}" PATH="${SPARKER_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:-} --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
T="${TMPDIR:-/tmp}/sparker-timing"
mkdir -p "$T"
# the job jar, and the jars spark-submit would put beside it (Spark's own, scope provided)
./mvnw -B -ntp -q package dependency:build-classpath -pl sparker-spark -am -DskipTests \
  -Dmdep.includeScope=provided -Dmdep.outputFile=target/cp.txt >"$T/build.log" 2>&1
FLAGS="--signal tail --kernels 10 --reference-size 20000 --null-toys 40 --toys 20 --epochs 20 --steps 20 --lr 0.05 --seed 7 --engine vector"
for round in 1 2; do
  rm -rf "$T/single" "$T/spark"
  s0=$(date +%s.%N)
  ./sparker expo1d $FLAGS --threads 2 --no-plots --ideal-toys 200 --out "$T/single" >"$T/single.log" 2>&1
  s1=$(date +%s.%N)
  java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -cp "sparker-spark/target/sparker-spark-job.jar:$(cat sparker-spark/target/cp.txt)" dev.sparker.spark.SparkJob expo1d $FLAGS \
    --master 'local[2]' --out "$T/spark" >"$T/spark.log" 2>"$T/spark.err"
  s2=$(date +%s.%N)
  echo "round $round: single-process ./sparker expo1d (whole command) $(echo "$s1 - $s0" | bc) s; Spark local[2] job (whole JVM) $(echo "$s2 - $s1" | bc) s"
  python3 - "$T" <<'PY'
import json, sys
r = json.load(open(sys.argv[1] + '/single/result.json'))
print("  single-process ensembles: null %.1f s, tail %.1f s" % (r['null']['wallSeconds'], r['signals'][0]['wallSeconds']))
PY
  grep -E "toys in" "$T/spark.log" | sed 's/^/  spark: /'
done
python3 - "$T" <<'PY'
import json, glob, os, sys
for f in sorted(glob.glob(sys.argv[1] + '/single/*.jsonl')):
    a = [json.loads(l) for l in open(f)]
    b = [json.loads(l) for l in open(sys.argv[1] + '/spark/' + os.path.basename(f))]
    same = len(a) == len(b) and all(x['t'] == y['t'] and x['seed'] == y['seed'] for x, y in zip(a, b))
    print(os.path.basename(f), len(a), "toys; same t per toy:", same)
PY
