#!/usr/bin/env bash
# Runs ON the GPU machine (no Java, no Maven), from the repository root, with benchmarks/target/device-carry.tar.xz
# (made by benchmarks/device/prepare.sh) carried over: the paper-scale EXPO-1D study's SparKer runs that only
# a GPU makes affordable (docs/paper/run-paper-study.sh, round "gpu": the paper schedule's full counts at
# M = 10 and 50, the converged schedule at M = 1000, the paper schedule at M = 1000), on the OpenCL engine,
# BATCH toys per lock-step launch, into $OUT/runs/<name>-opencl. Toys are appended to their JSON-lines files as
# each batch finishes, so a run stopped by the time budget keeps every finished batch; copy the folders into
# docs/paper/runs/ here and rerun the round (on a GPU) to continue, or `./sparker paper-summary` to summarise.
# Everything the runs wrote is packed into $OUT/paper-gpu-runs.tgz at the end: the device tool brings back only
# a limited number of files per command (on 2026-11-30 it returned 8 of 95 and dropped the rest), so unpack the
# archive here (tar -xzf paper-gpu-runs.tgz -C docs/paper). Toys run with --no-plots (the carried runtime finds
# no fonts there) and the summary is made here.
# A JVM that crashes writes its error report to $OUT/hs_err_pid<pid>.log (packed with the runs).
# Environment: OUT (default /tmp/paper-gpu-out), CARRY, RETRIES (default 2: a round that fails is rerun), BUDGET (seconds for all rounds together, default 480),
# BATCH (default 100: one batch of 100 fills an H200 at M = 10), ROUND (default gpu; several rounds run in turn,
# e.g. "smoke gpu"; "smoke" runs 3 null and 2 tail toys of the paper schedule at 2 epochs, to compare with the
# vector engine's run of the same round here; "try" adds the converged schedule), NVIDIA_OPENCL, OPENCL_LOADER,
# SPARKER_OPENCL_DEVICE, THREADS (batches at once, default 2: one batch of 100 already fills the H200 at M = 10
# (two at once took twice as long each), and few batches at once keep finished batches coming when the budget
# runs out; the second overlaps the host work of the first).
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
  -XX:ErrorFile="$OUT/hs_err_pid%p.log" \
  -Dsparker.opencl.device=${SPARKER_OPENCL_DEVICE:-auto} -jar "$C/sparker-cli.jar" "\$@" 2> >(grep -v "^WARNING" >&2)
WRAP
chmod +x "$OUT/sparker"
END=$(( $(date +%s) + ${BUDGET:-480} ))
# a round whose JVM is killed by a signal (on 2026-12-01 the JVM died once on a segmentation fault at
# M = 1000, and not again on four reruns) is started again, up to RETRIES times: its finished toys are kept
for round in ${ROUND:-gpu}; do
  for attempt in $(seq 0 "${RETRIES:-2}"); do
    left=$(( END - $(date +%s) ))
    [ "$left" -gt 10 ] || { echo "no budget left for round $round"; break; }
    echo "### study round $round (attempt $attempt), batch ${BATCH:-100}, $left s of the budget left ($(date -u +%H:%M:%S) UTC)"
    SPARKER="$OUT/sparker" ENGINE=opencl BATCH="${BATCH:-100}" THREADS="${THREADS:-2}" RUNS="$OUT/runs" NO_PLOTS=1 \
      timeout "$left" bash docs/paper/run-paper-study.sh "$round"
    rc=$?
    echo "round $round exit code: $rc (124: the budget ran out; finished batches are kept)"
    [ "$rc" -gt 128 ] || break   # only a JVM killed by a signal (134, 139) is started again
  done
done
echo "### toys per file"
find "$OUT/runs" -name '*.jsonl' -exec wc -l {} + | sort -k2
tar -czf "$OUT/paper-gpu-runs.tgz" -C "$OUT" runs $(cd "$OUT" && ls hs_err_pid*.log 2>/dev/null) && echo "packed $OUT/paper-gpu-runs.tgz ($(du -h "$OUT/paper-gpu-runs.tgz" | cut -f1))"
