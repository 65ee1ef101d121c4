#!/usr/bin/env bash
# Whole-build benchmark: attache against Hugo on the same generated corpus,
# then attache against `cp -r` of its own output (the cost of creating the
# files at all). See docs/performance.md.
#
#   scripts/bench.sh N [RUNS]
#
# BENCH_DIR points at the benchmark kit (corpus generator gen_corpus.py,
# compare.sh, runbench.py); default: ../shared/bench beside this repository.
# BENCH_OUT=/dev/shm/attache-bench puts the outputs on tmpfs. Needs hugo
# (Debian: apt-get install -y hugo).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:?usage: scripts/bench.sh N [RUNS]}
RUNS=${2:-5}
BENCH_DIR=${BENCH_DIR:-$PWD/../shared/bench}
CACHE=${BENCH_CACHE:-/tmp/attache-bench}
OUT=${BENCH_OUT:-$CACHE}

cargo build --release --quiet
mkdir -p "$CACHE" "$OUT"
echo "== attache against hugo, $N briefings, $RUNS runs each"
BENCH_CACHE=$CACHE BENCH_OUT=$OUT "$BENCH_DIR/compare.sh" "$N" "$RUNS" | tee "$CACHE/compare-$N.txt"

# The same corpus compare.sh generated (it names it by N, seed and generator).
SITE=$(ls -d "$CACHE"/n"$N"-seed"${SEED:-1}"-* | head -n 1)
echo "== attache against cp -r of its own output"
rm -rf "$OUT/cp-source"
./target/release/attache build --root "$SITE/attache" --output "$OUT/cp-source" 2>/dev/null
python3 "$BENCH_DIR/runbench.py" --runs "$RUNS" --warmup 1 --ratio \
    "attache|$OUT/out-attache|$PWD/target/release/attache build --root $SITE/attache --output $OUT/out-attache" \
    "cp|$OUT/out-cp|cp -r $OUT/cp-source $OUT/out-cp"

echo "== stage breakdown (one run)"
rm -rf "$OUT/out-attache"
sync
ATTACHE_TIMINGS=1 ./target/release/attache build --root "$SITE/attache" --output "$OUT/out-attache" 2>&1 |
    grep -E '^Built|^  '
