#!/usr/bin/env bash
# SLURM: merge the shards of slurm-array.sh and analyse them (result.json, plots). Submit it with
#   sbatch --dependency=afterok:<array job id> docs/cluster/slurm-merge.sh
# It trains no ensemble toy; if a shard is missing it names it and exits 1 (rerun that array task, then this).
#SBATCH --job-name=sparker-merge
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=00:30:00
#SBATCH --output=logs/expo1d-merge-%j.out
set -euo pipefail
OUT="${SPARKER_OUT:-$PWD/out/expo1d-paper}"
./sparker merge --out "${OUT}/merged" "${OUT}"/shard-*
