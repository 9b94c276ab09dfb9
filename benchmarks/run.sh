#!/usr/bin/env bash
# Runs a chosen subset of the JMH suite and writes a Markdown table (ms per step, kernel evaluations per
# second, ratio to the bare exponential pass, speed-up over the scalar engine).
#
#   benchmarks/run.sh [default|quick|target|full|opencl] [OUT.md]
#
#   quick    vector engines and the bare pass at N_R = 200 000, M = 50 (about 3 minutes)
#   default  vector engines and the bare pass at N_R = 200 000 for M in {10, 50, 200, 1000}, the d = 12 case,
#            and the scalar engine at N_R = 200 000, M = 50 and at the d = 12 case (about 10-12 minutes)
#   full     the whole sweep M in {10, 50, 200, 1000} x N_R in {20 000, 50 000, 100 000, 200 000} plus the
#            d = 12 case for the vector engines and the bare pass; the scalar engine (about 18 ns per
#            evaluation, 4 s per step at the largest size) only for M <= 200 with 2 warm-up and 3 measured
#            iterations (well over an hour)
#   target   the issue's target case alone, every CPU engine and the bare pass in one run: N_R = 200 000,
#            M = 50, d = 1 (scalar, vector-float, vector-double; about 5 minutes)
#   opencl   the OpenCL engine (sparker-gpu; needs an OpenCL device, PoCL on a CPU) at N_R in {20 000, 200 000}
#            x M in {50, 1000}, with the bare pass and the vector engine at the same sizes for the ratios
#
# Every fork runs with -Xmx256m (so N_R = 200 000, M = 1000 also proves its memory bound) and one thread.
# Builds the jar first unless SKIP_BUILD=1. Run it on a quiet machine, with nice if others share it.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-default}"
out="${2:-benchmarks/target/results.md}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
host_opts=(--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED)   # the JMH 1.37 host JVM uses sun.misc.Unsafe
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -q -B -ntp package -DskipTests -pl sparker-core,sparker-gpu,benchmarks
fi
jar=benchmarks/target/benchmarks.jar
tmp=benchmarks/target/jmh
mkdir -p "$tmp"
rm -f "$tmp"/*.json

jmh() { # name, then JMH arguments
  local name="$1"; shift
  "$java" "${host_opts[@]}" -jar "$jar" "$@" -rf json -rff "$tmp/$name.json"
}

vec="vector-float,vector-double"
d12=(-p nRef=24020 -p nData=2402 -p kernels=20 -p dimension=12)
case "$mode" in
  quick)
    jmh vector StepBenchmark -p engine=$vec -p nRef=200000 -p kernels=50
    jmh bare BarePassBenchmark -p nRef=200000 -p kernels=50
    ;;
  default)
    jmh vector StepBenchmark -p engine=$vec -p nRef=200000 -p kernels=10,50,200,1000
    jmh bare BarePassBenchmark -p nRef=200000 -p kernels=10,50,200,1000
    jmh d12 StepBenchmark -p engine=scalar,$vec "${d12[@]}"
    jmh scalar StepBenchmark -p engine=scalar -p nRef=200000 -p kernels=50 -wi 2 -i 3 -r 2
    ;;
  target)
    jmh target StepBenchmark -p engine=scalar,$vec -p nRef=200000 -p kernels=50 -wi 4 -i 8
    jmh bare BarePassBenchmark -p nRef=200000 -p kernels=50 -wi 4 -i 8
    ;;
  full)
    jmh vector StepBenchmark -p engine=$vec -p nRef=20000,50000,100000,200000 -p kernels=10,50,200,1000
    jmh bare BarePassBenchmark -p nRef=20000,50000,100000,200000 -p kernels=10,50,200,1000
    jmh d12 StepBenchmark -p engine=scalar,$vec "${d12[@]}"
    jmh scalar StepBenchmark -p engine=scalar -p nRef=20000,50000,100000,200000 -p kernels=10,50,200 -wi 2 -i 3 -r 2
    ;;
  opencl)
    jmh opencl StepBenchmark -p engine=opencl-float,opencl-double,vector-float -p nRef=20000,200000 -p kernels=50,1000 -wi 2 -i 3 -r 2
    jmh bare BarePassBenchmark -p nRef=20000,200000 -p kernels=50,1000
    ;;
  *) echo "unknown mode '$mode' (quick, default, target, full or opencl)" >&2; exit 2 ;;
esac

model="$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
header="Benchmarks of $(date -u +%Y-%m-%d) on ${model:-unknown CPU} ($(nproc) CPUs), $("$java" -version 2>&1 | head -1), mode '$mode', JMH 1.37, one fork, -Xmx256m, one thread per step."
"$java" -cp "$jar" dev.sparker.bench.Report "$out" "$header" "$tmp"/*.json
echo "wrote $out"
