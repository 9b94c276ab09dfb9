#!/usr/bin/env bash
# Runs ON the GPU machine (no Java, no Maven), from the repository root, with benchmarks/target/device-carry.tar.xz
# (made by benchmarks/device/prepare.sh) carried over: the paper-scale EXPO-1D study's SparKer runs that only
# a GPU makes affordable (docs/paper/run-paper-study.sh, round "gpu": the paper schedule's full counts at
# M = 10 and 50, the converged schedule at M = 1000, the paper schedule at M = 1000), on the OpenCL engine,
# BATCH toys per lock-step launch, into $OUT/runs/<name>-opencl. Toys are appended to their JSON-lines files as
# each batch finishes, so a run stopped by the time budget keeps every finished batch; copy the folders into
# docs/paper/runs/ here and rerun the round (on a GPU) to continue, or `./sparker paper-summary` to summarise.
# Environment: OUT (default /tmp/paper-gpu-out), CARRY, BUDGET (seconds for the whole study, default 480),
# BATCH (default 50), ROUND (default gpu; "try" runs 5 toys per schedule at 2 epochs, for trying the set-up),
# NVIDIA_OPENCL, OPENCL_LOADER, SPARKER_OPENCL_DEVICE.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE/../.."
. "$HERE/carry.sh"
OUT=${OUT:-/tmp/paper-gpu-out}
mkdir -p "$OUT/runs"
exec > >(tee -a "$OUT/run-paper-gpu.log") 2>&1
need_carry sparker-cli.jar
echo "### machine"
date -u; nproc; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 | head -3 || true
echo "### OpenCL set-up"
. "$HERE/opencl-env.sh"

# GPU runs already committed under docs/paper/runs resume: their toys are skipped
for d in docs/paper/runs/*-opencl; do
  [ -d "$d" ] && cp -r "$d" "$OUT/runs/" && echo "resuming $d"
done
# the study script calls $SPARKER like ./sparker
cat > "$OUT/sparker" <<WRAP
#!/usr/bin/env bash
exec "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx48g -Djava.awt.headless=true \
  -Dsparker.opencl.device=${SPARKER_OPENCL_DEVICE:-auto} -jar "$C/sparker-cli.jar" "\$@" 2> >(grep -v "^WARNING" >&2)
WRAP
chmod +x "$OUT/sparker"
echo "### study round ${ROUND:-gpu}, batch ${BATCH:-50}, budget ${BUDGET:-480} s"
SPARKER="$OUT/sparker" ENGINE=opencl BATCH="${BATCH:-50}" RUNS="$OUT/runs" \
  timeout "${BUDGET:-480}" bash docs/paper/run-paper-study.sh "${ROUND:-gpu}"
echo "exit code: $? (124: the budget ran out; finished batches are kept)"
echo "### toys per file"
find "$OUT/runs" -name '*.jsonl' -exec wc -l {} + | sort -k2
