#!/usr/bin/env bash
# Incremental builds on a generated site (issue 7): clean build, no-op
# rebuild, and rebuild after one sidecar changed. Prints each run and the
# medians. Not run by CI.
#
#   bench/incremental.sh [DATASETS] [RUNS]     (defaults: 1000 datasets, 5 runs)
#
# Everything is written under ${BENCH_DIR:-/tmp/kiosque-bench-incremental}.
set -euo pipefail
cd "$(dirname "$0")/.."
datasets=${1:-1000}
runs=${2:-5}
dir=${BENCH_DIR:-/tmp/kiosque-bench-incremental}
site="$dir/site-$datasets"
out="$dir/out"

cargo build --release --quiet --bin kiosque --example gensite
kiosque=target/release/kiosque
[ -d "$site" ] || target/release/examples/gensite "$site" --datasets "$datasets"
mkdir -p "$dir"

# Seconds taken by one build.
timed_build() {
    local start end
    start=$(date +%s.%N)
    "$kiosque" build "$site" -o "$out" --quiet >/dev/null 2>&1
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2] + a[NR/2+1]) / 2}'; }

sidecar=$(find "$site/datasets" -name dataset.yaml | sort | sed -n 1p)
cp "$sidecar" "$dir/sidecar.orig"
clean=(); noop=(); one=()
for i in $(seq "$runs"); do
    rm -rf "$out" "$dir/.kiosque-cache"
    clean+=("$(timed_build)")
    noop+=("$(timed_build)")
    # One sidecar changed: its title, alternately two values.
    sed -i "s/^title: \(.*\)$/title: \1 (run $i)/" "$sidecar"
    one+=("$(timed_build)")
    cp "$dir/sidecar.orig" "$sidecar"
    echo "run $i: clean ${clean[-1]} s, no-op ${noop[-1]} s, one sidecar ${one[-1]} s"
done
c=$(printf '%s\n' "${clean[@]}" | median)
n=$(printf '%s\n' "${noop[@]}" | median)
o=$(printf '%s\n' "${one[@]}" | median)
echo
echo "| $datasets datasets, median of $runs | seconds | of the clean build |"
echo "|---|---|---|"
printf '| clean build | %.2f | 100%% |\n' "$c"
printf '| no-op rebuild | %.2f | %.1f%% |\n' "$n" "$(echo "$n * 100 / $c" | bc -l)"
printf '| one sidecar changed | %.2f | %.1f%% |\n' "$o" "$(echo "$o * 100 / $c" | bc -l)"
