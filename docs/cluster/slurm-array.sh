#!/usr/bin/env bash
# SLURM job array: one EXPO-1D calibration at the paper's scale in 50 shards (an example; not run in CI).
#
#   sbatch docs/cluster/slurm-array.sh                 # submits the 50 shards
#   sbatch --dependency=afterok:<jobid> docs/cluster/slurm-merge.sh   # merges and analyses when all are done
#
# Each array task runs toy i of every ensemble for which i mod 50 + 1 = $SLURM_ARRAY_TASK_ID, into its own
# folder; a failed or pre-empted task is simply resubmitted (sbatch --array=17 ...): it resumes from its file.
#SBATCH --job-name=sparker-expo1d
#SBATCH --array=1-50
#SBATCH --cpus-per-task=4
#SBATCH --mem=2G
#SBATCH --time=12:00:00
#SBATCH --output=logs/expo1d-%A_%a.out
set -euo pipefail

SHARDS=50
OUT="${SPARKER_OUT:-$PWD/out/expo1d-paper}"   # on a file system every node sees
mkdir -p logs

# The same flags in every task (they define the ensembles; a shard with other flags is refused by merge).
./sparker expo1d --signal all --kernels 50 --reference-size 200000 --epochs 500 --steps 100 --lr 0.001 \
  --null-toys 1000 --toys 300 --threads "${SLURM_CPUS_PER_TASK}" --seed 1 --engine vector \
  --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}" --out "${OUT}/shard-${SLURM_ARRAY_TASK_ID}"
