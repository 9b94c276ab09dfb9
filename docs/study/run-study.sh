#!/usr/bin/env bash
# Reproduces the EXPO-1D study in docs/study (README "Study"): M = 10 and M = 50, 300 null toys and 100 toys
# of each of the four signals, 12 epochs x (20 + 20) Adam steps at lr 0.05, sigma = 90 % quantile of the
# reference's pairwise distances; N_R = 10000 for M = 10 and N_R = 5000 for M = 50 (to fit the session's time).
# Usage: docs/study/run-study.sh [path to a sparker-cli.jar; default: build through ./sparker]
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR="${1:-}"
run() {
  if [ -n "$JAR" ]; then
    nice -n 10 /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector \
      --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true -jar "$JAR" "$@"
  else
    nice -n 10 ./sparker "$@"
  fi
}
for M in 10 50; do
  NR=$([ "$M" = 10 ] && echo 10000 || echo 5000)
  run expo1d --signal all --kernels "$M" --null-toys 300 --toys 100 --reference-size "$NR" \
    --epochs 12 --steps 20 --lr 0.05 --ideal-toys 20000 --seed 1 --out "docs/study/M$M" \
    > "docs/study/M$M.txt"
done
