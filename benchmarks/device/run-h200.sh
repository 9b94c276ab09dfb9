#!/usr/bin/env bash
# Runs ON the GPU machine (no Java, no Maven), from the repository root, with benchmarks/target/device-carry.tar.xz
# (made by benchmarks/device/prepare.sh) carried over. Prints the end-to-end training step against the raw
# batch evaluation (TrainingStepRatio) for the OpenCL engine, device loop, host loop and device loop with
# stored kernel values, at
# N_R in {20 000, 200 000} x M in {50, 1000} x B in {1, 16, 100}, FLOAT, and writes everything to $OUT:
#   run-h200.log             this script's whole output (machine, driver, OpenCL set-up, the table)
#   h200-training-ratio.md   the table
#   h200-evaluation-split.md forward pass against moment pass (EvaluationSplit), recomputed vs stored
# OpenCL is pointed at NVIDIA's driver by opencl-env.sh (see there).
# Environment: OUT (default /tmp/h200-out), CARRY, NVIDIA_OPENCL, OPENCL_LOADER, SPARKER_OPENCL_DEVICE,
# GRID (TrainingStepRatio arguments replacing the default grid, e.g. for a short try on PoCL) and SPLIT
# (EvaluationSplit arguments replacing its default).
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE/../.."
. "$HERE/carry.sh"
OUT=${OUT:-/tmp/h200-out}
mkdir -p "$OUT"
exec > >(tee -a "$OUT/run-h200.log") 2>&1
say() { echo; echo "### $*"; }
need_carry benchmarks.jar

say "machine"
date -u; uname -a; nproc; free -g | head -2
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 | head -3 || true

say "OpenCL set-up"
. "$HERE/opencl-env.sh"

JOPTS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx24g
       -Dsparker.opencl.device=${SPARKER_OPENCL_DEVICE:-auto})
if [ -n "${GRID:-}" ]; then
  read -r -a args <<< "$GRID"
else
  args=(--engines opencl-float,opencl-float-host,opencl-float-storek --nr 20000,200000 --m 50,1000 --b 1,16,100
        --seconds 2)
fi
say "end-to-end training step / raw batch evaluation: TrainingStepRatio ${args[*]}"
timeout 420 "$JAVA" "${JOPTS[@]}" -cp "$C/benchmarks.jar" dev.sparker.bench.TrainingStepRatio \
  --threads "$(nproc)" "${args[@]}" --out "$OUT/h200-training-ratio.md" 2>&1 | grep -v "^WARNING"
echo "exit code: ${PIPESTATUS[0]}"

say "forward pass against moment pass, recomputed and stored kernel values: EvaluationSplit"
read -r -a split <<< "${SPLIT:---engines opencl-float,opencl-float-storek --nr 200000 --m 50,1000 --b 16 --seconds 1}"
timeout 100 "$JAVA" "${JOPTS[@]}" -cp "$C/benchmarks.jar" dev.sparker.bench.EvaluationSplit \
  "${split[@]}" --threads "$(nproc)" 2>&1 | grep -v "^WARNING" | tee "$OUT/h200-evaluation-split.md"
echo "exit code: ${PIPESTATUS[0]}"
