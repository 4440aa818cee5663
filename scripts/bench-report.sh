#!/bin/sh
# bench-report.sh BUILD_DIR — qy-report's demand section against mawk.
#
# The target (the report issue): the demand section over a 1 GB demand TSV
# (about 5,000,000 rows) in at most 0.5 x the time mawk takes to count and
# sum the same file by street and category.  The file is generated once with
# BUILD_DIR/qy-gen and kept in ${QY_BENCH_DIR:-$HOME/.cache/qy-bench}.
# Prints a table of medians of RUNS (default 3) runs each, wall-clock seconds.
set -eu
B=${1:-build}
BIN=$(cd "$B" && pwd)
RUNS=${RUNS:-3}
DIR=${QY_BENCH_DIR:-$HOME/.cache/qy-bench}
DATA=$DIR/report-demand-1g.tsv
LC_ALL=C; export LC_ALL

command -v mawk > /dev/null 2>&1 || { echo "bench-report: mawk is not installed" >&2; exit 2; }
mkdir -p "$DIR"
if [ ! -s "$DATA" ]; then
	echo "bench-report: generating $DATA (qy-gen --preset city -n 5000000) ..."
	"$BIN/qy-gen" -t demand --preset city -n 5000000 > "$DATA.tmp"
	mv "$DATA.tmp" "$DATA"
fi

# The baseline: count and sum quantity by street and by category, finding the
# columns by name as qy-report does.
# shellcheck disable=SC2016 # an awk program, not shell
MAWK_PROG='BEGIN { FS = "\t" }
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i
	s = col["street"]; c = col["category"]; q = col["quantity"]; next }
{ n[$s]++; qs[$s] += $q; nc[$c]++; qc[$c] += $q }
END { for (k in n) print k, n[k], qs[k]; for (k in nc) print k, nc[k], qc[k] }'

now() { date +%s.%N; }
times=$(mktemp)
trap 'rm -f "$times"' EXIT

# median_of CMD...: runs CMD RUNS times (output discarded), prints the median.
median_of() {
	i=0
	: > "$times"
	while [ $i -lt "$RUNS" ]; do
		t0=$(now)
		"$@" > /dev/null
		t1=$(now)
		awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }' >> "$times"
		i=$((i + 1))
	done
	sort -n "$times" | awk '{ v[NR] = $1 } END { printf "%.2f\n", v[int((NR + 1) / 2)] }'
}

report() { "$BIN/qy-report" --as-of 2024-06-30 "$DATA"; }
report1() { QY_REPORT_THREADS=1 "$BIN/qy-report" --as-of 2024-06-30 "$DATA"; }
report_stdin() { "$BIN/qy-report" --as-of 2024-06-30 < "$DATA"; }
report_month() { "$BIN/qy-report" --as-of 2024-06-30 --month 2024-06 --by street,category "$DATA"; }
baseline() { mawk "$MAWK_PROG" "$DATA"; }

cat "$DATA" > /dev/null # from the page cache for every contender
rows=$(($(wc -l < "$DATA") - 1))
size=$(($(wc -c < "$DATA") / 1048576))
echo "bench-report: $DATA, $rows rows, $size MiB; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench-report: median of $RUNS runs, wall-clock seconds"

m=$(median_of baseline)
a=$(median_of report)
o=$(median_of report1)
s=$(median_of report_stdin)
g=$(median_of report_month)
ratio() { awk -v a="$1" -v b="$m" 'BEGIN { printf "%.2f", a / b }'; }
printf '| %-58s | %7s | %7s |\n' "what" "seconds" "x mawk"
printf '| %-58s | %7s | %7s |\n' "mawk: count and sum by street and category" "$m" "1.00"
printf '| %-58s | %7s | %7s |\n' "qy-report FILE (demand section; 2 threads on 2+ CPUs)" "$a" "$(ratio "$a")"
printf '| %-58s | %7s | %7s |\n' "qy-report FILE, QY_REPORT_THREADS=1" "$o" "$(ratio "$o")"
printf '| %-58s | %7s | %7s |\n' "qy-report < FILE (lib/tsv.c reader, 1 thread)" "$s" "$(ratio "$s")"
printf '| %-58s | %7s | %7s |\n' "qy-report --month 2024-06 --by street,category FILE" "$g" "$(ratio "$g")"
if awk -v a="$a" -v b="$m" 'BEGIN { exit !(a <= 0.5 * b) }'; then
	echo "bench-report: target met: qy-report $(ratio "$a") x mawk (<= 0.50)"
else
	echo "bench-report: TARGET MISSED: qy-report $(ratio "$a") x mawk (> 0.50)"
fi
