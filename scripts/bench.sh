#!/bin/sh
# make bench: runs every scripts/bench-*.sh part against build directory $1.
# Each part generates its data once under ${QY_BENCH_DIR:-$HOME/.cache/qy-bench}
# and prints a table of medians.
set -eu
B=${1:-build}
for part in scripts/bench-*.sh; do
	[ -f "$part" ] || continue
	echo "== $part"
	sh "$part" "$B"
done
