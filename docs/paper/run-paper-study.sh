#!/usr/bin/env bash
# The paper's EXPO-1D study at the paper's scale (section 3, Figure 1, Figure 5, Table 1; appendix B):
# Exp(1) reference N_R = 200 000, N0 = 2000 (w = N0 / N_R), sigma = 90 % quantile of pairwise reference
# distances, M in {10, 50, 1000} with the preset's lambda_a / lambda_H per M (1e-5 / 1e-3 for M = 10 and 50,
# 1e-6 / 1e-2 for M = 1000), the four signals of Table 1, SparKer and Falkon-NPLM (same M, Falkon's lambda =
# the paper's lambda_a) on the same toys (same seeds), seed 1.
#
# Resumable: every run is `./sparker expo1d` into its own folder under docs/paper/runs/; rerunning skips the
# toys already in its JSON-lines files and runs only the missing ones (a run whose files already hold every toy
# it asks for is not started at all). Runs go in rounds of growing toy counts,
# so stopping at any time leaves balanced ensembles. When the rounds are done (or whenever you like) the
# summary (summary.json, Figure 1, Figure 5, Table 1) is rebuilt from the JSON-lines files:
#
#   docs/paper/run-paper-study.sh              # every round, then the summary
#   docs/paper/run-paper-study.sh 1            # round 1 only (then the summary)
#   docs/paper/run-paper-study.sh summary      # the summary only
#   ENGINE=opencl BATCH=100 docs/paper/run-paper-study.sh   # SparKer runs on an OpenCL GPU, 100 toys per launch
#                                                           # (into runs/<name>-opencl: another engine is another
#                                                           # configuration, so its toys never mix with the CPU's)
#
#   ENGINE=opencl BATCH=100 docs/paper/run-paper-study.sh gpu # what only a GPU makes affordable (SparKer at
#                                                           # M = 1000, the paper schedule's full counts);
#                                                           # benchmarks/device/run-paper-gpu.sh runs it there
#
# Environment: ENGINE (default vector), PRECISION (FLOAT, as PyTorch's default), THREADS (toys at once; default
# all cores), BATCH (toys per lock-step batch, for GPUs; default 1), NICE (default 0), SPARKER (the command,
# default ./sparker), RUNS (the folder of run folders, default docs/paper/runs), NO_PLOTS (set: no per-run plots;
# the summary's figures are made by `./sparker paper-summary` either way).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUNS="${RUNS:-$HERE/runs}"
SPARKER="${SPARKER:-$ROOT/sparker}"
ENGINE="${ENGINE:-vector}"; PRECISION="${PRECISION:-FLOAT}"; BATCH="${BATCH:-1}"; NICE="${NICE:-0}"
THREADS_FLAG=(); [ -n "${THREADS:-}" ] && THREADS_FLAG=(--threads "$THREADS")

# run NAME MODEL M SCHEDULE NULL_TOYS SIGNAL_TOYS SIGNALS [EPOCHS] [BATCH] [THREADS]
# (BATCH: this run's toys per lock-step batch, instead of $BATCH; THREADS: its batches at once, instead of
# $THREADS; neither is part of the toys' configuration hash)
run() {
  local name=$1 model=$2 m=$3 schedule=$4 nnull=$5 nsig=$6 signals=$7 epochs=${8:-500} batch=${9:-$BATCH}
  local threads_flag=("${THREADS_FLAG[@]}"); [ -n "${10:-}" ] && threads_flag=(--threads "${10}")
  local lambda=1e-5; [ "$m" -ge 1000 ] && lambda=1e-6
  # the engine and precision are part of a run's configuration (its hash): other ones go to their own folder
  if [ "$model" != falkon ]; then
    [ "$ENGINE" != vector ] && name="$name-$ENGINE"
    [ "$PRECISION" != FLOAT ] && name="$name-$PRECISION"
  fi
  local args=(expo1d --model "$model" --kernels "$m" --reference-size 200000 --signal "$signals"
    --null-toys "$nnull" --toys "$nsig" --ideal-toys 20000 --seed 1 --out "$RUNS/$name" "${threads_flag[@]}")
  if [ "$model" = falkon ]; then
    args+=(--lambda "$lambda")
  else
    args+=(--engine "$ENGINE" --precision "$PRECISION" --batch "$batch" --schedule "$schedule" --epochs "$epochs")
    [ "$schedule" = paper ] && args+=(--steps 100 --lr 0.001)
  fi
  [ -n "${NO_PLOTS:-}" ] && args+=(--no-plots)
  if complete "$RUNS/$name" "$model" "$m" "$nnull" "$nsig" "$signals"; then
    echo "== $name: $nnull null toys, $nsig toys of $signals already there, skipped" >&2
    return 0
  fi
  echo "== $name: $nnull null toys, $nsig toys of $signals ($(date -u +%H:%M:%S) UTC)" >&2
  nice -n "$NICE" "$SPARKER" "${args[@]}"
}

# complete DIR MODEL M NULL_TOYS SIGNAL_TOYS SIGNALS: whether DIR already holds that many toys, with one file per
# ensemble (a folder with two files of one ensemble, e.g. from another configuration, is left to expo1d to
# sort out): then the run is skipped, which spares the reference, width and ideal-test set-up (about 35 s at
# N_R = 200 000) that expo1d does before it finds nothing to run
complete() {
  local dir=$1 prefix=; [ "$2" = falkon ] && prefix=falkon-
  local m=$3 nnull=$4 nsig=$5 signals=$6 files
  [ "$signals" = all ] && signals=bulk,tail,extreme-tail,excess
  for ens in null ${signals//,/ }; do
    [ "$ens" = null ] || ens="signal-$ens"
    [ "$ens" = null ] && [ "$nnull" -eq 0 ] && continue
    [ "$ens" != null ] && [ "$nsig" -eq 0 ] && continue
    files=("$dir/$prefix$ens-M$m-"*.jsonl)
    [ "${#files[@]}" -eq 1 ] && [ -f "${files[0]}" ] || return 1
    [ "$(grep -c . "${files[0]}")" -ge "$( [ "$ens" = null ] && echo "$nnull" || echo "$nsig")" ] || return 1
  done
}

round1() { # what the converged-training comparison needs first: null and tail toys at M = 10
  run falkon-M10 falkon 10 - 200 100 all
  run falkon-M50 falkon 50 - 200 100 all
  run sparker-M10-converged sparker 10 converged 100 50 tail
  run sparker-M10-paper sparker 10 paper 30 30 tail
}
round2() { # every signal at M = 10 (converged), Falkon-NPLM at M = 1000, the long paper run, M = 50 converged
  run sparker-M10-converged sparker 10 converged 200 100 all
  run falkon-M1000 falkon 1000 - 50 25 all
  run sparker-M10-paper2000 sparker 10 paper 3 3 tail 2000
  run sparker-M50-converged sparker 50 converged 100 50 tail
}
round3() { # every signal, growing to the issue's counts (what an issue needs first, then cheapest first)
  run falkon-M1000 falkon 1000 - 200 100 all
  run sparker-M50-converged sparker 50 converged 200 100 all
  run sparker-M50-paper sparker 50 paper 15 15 tail
  run sparker-M50-paper sparker 50 paper 22 22 tail
  run sparker-M50-paper sparker 50 paper 30 30 tail
  run sparker-M50-paper sparker 50 paper 30 30 extreme-tail
  run sparker-M50-paper sparker 50 paper 60 30 extreme-tail
  run sparker-M50-paper sparker 50 paper 60 30 bulk
  run sparker-M50-paper sparker 50 paper 60 30 all  # done 2026-12-02
  run sparker-M10-paper sparker 10 paper 42 100 bulk  # without a GPU: the paper schedule's bulk point at M = 10
  run sparker-M10-paper sparker 10 paper 60 30 all
  # M = 1000 (converged) costs about 6 s per epoch per toy on one CPU core and its toys stop after 8 to 459
  # epochs (1 to 67 minutes per toy): the 150 toys below took 37 core-hours here (done 2026-12-02); on a GPU
  # (ENGINE=opencl, round gpu) they go into their own folder
  run sparker-M1000-converged sparker 1000 converged 8 0 tail
  run sparker-M1000-converged sparker 1000 converged 25 0 tail  # a null calibration first (done 2026-11-30)
  run sparker-M1000-converged sparker 1000 converged 25 5 all   # a first look at every signal (done 2026-11-30)
  run sparker-M1000-converged sparker 1000 converged 50 10 all
  run sparker-M1000-converged sparker 1000 converged 50 25 all  # done 2026-12-02
  run sparker-M10-paper sparker 10 paper 200 100 all
  run sparker-M50-paper sparker 50 paper 200 100 all
}
gpu() { # SparKer runs a GPU makes affordable, cheapest first (OpenCL toys go into runs/<name>-opencl)
  # M = 10, paper schedule: 100 toys per launch take 71 s on an H200 (2026-11-30); only the bulk toys are left
  run sparker-M10-paper sparker 10 paper 200 100 all
  # M = 1000, converged: one toy per batch (a lock-step batch waits for its slowest toy, and the converged toys
  # take 38 to 310 epochs; at M = 1000 one toy already fills most of an H200), one batch per host core (the
  # schedule's L-BFGS steps and entropy run on the host); a balanced first round before the full counts
  run sparker-M1000-converged sparker 1000 converged 20 10 all 500 1 "$(nproc)"
  run sparker-M1000-converged sparker 1000 converged 50 25 all 500 1 "$(nproc)"
  run sparker-M50-paper sparker 50 paper 200 100 all
  run sparker-M1000-paper sparker 1000 paper 50 25 all 500 10
}
smoke() { # the paper schedule's plumbing on 5 toys at N_R = 200 000 and 2 epochs, to compare engines toy by toy
  run try-M10-paper sparker 10 paper 3 2 tail 2
}
try() { # the plumbing on a few toys at N_R = 200 000 and 2 epochs (into runs/try-*): for trying a new machine
  run try-M10-paper sparker 10 paper 3 2 tail 2
  run try-M10-converged sparker 10 converged 3 2 tail 2
}
summary() {
  "$SPARKER" paper-summary --runs "$RUNS" --out "$HERE"
}

case "${1:-all}" in
  1) round1; summary ;;
  2) round2; summary ;;
  3) round3; summary ;;
  gpu) gpu ;;
  smoke) smoke ;;
  try) try ;;
  summary) summary ;;
  all) round1; round2; round3; summary ;;
  *) echo "usage: $0 [1|2|3|gpu|smoke|try|summary|all]" >&2; exit 2 ;;
esac
