#!/bin/sh
# qy-ingest's speed on a ~1 GB demand CSV (5,000,000 rows of Chinese text,
# ~10% of fields quoted), against what bounds it and what else does the job:
#
#   cat > /dev/null                      the limit: reading the file
#   csvread-bench                        a plain libcsv read loop (counting callbacks)
#   qy-ingest -t demand                  the whole job: parse, decode, check, normalise, write
#   qy-ingest -t demand --threads 1      the same on one core
#   the libcsv loop and qy-ingest on the same rows in GB18030 (WPS's export)
#   mlr --icsv --otsv cat                Miller (Debian's)
#   csvformat -T                         csvkit, on a 100 MB slice (it is slow)
#
# Medians of QY_BENCH_RUNS runs (default 5) after one untimed warm-up run,
# MB/s (10^6 bytes), and ratios;
# then qy-ingest's peak RSS at 1/10 and all of the file, to show that memory
# does not grow with the input beyond the set of ids.
#
#   sh scripts/bench-ingest.sh BUILD_DIR        (make bench does this)
# The file is generated once into ${QY_BENCH_DIR:-$HOME/.cache/qy-bench}.
set -u
B=${1:?usage: bench-ingest.sh BUILD_DIR}
BIN=$(cd "$B" && pwd)
LC_ALL=C; export LC_ALL
DIR=${QY_BENCH_DIR:-$HOME/.cache/qy-bench}
RUNS=${QY_BENCH_RUNS:-5}
ROWS=${QY_BENCH_ROWS:-5000000}
mkdir -p "$DIR" || exit 2
F=$DIR/demand-$ROWS.csv
if [ ! -s "$F" ]; then
	echo "generating $F ($ROWS demand rows) ..."
	"$BIN/qy-gen" -t demand -n "$ROWS" --format csv > "$F.tmp" && mv "$F.tmp" "$F" || exit 2
fi
SLICE=$DIR/demand-$ROWS-100MB.csv
if [ ! -s "$SLICE" ]; then
	# The first 100 MB, cut at the last whole line.
	head -c 100000000 "$F" | sed '$d' > "$SLICE.tmp" && mv "$SLICE.tmp" "$SLICE" || exit 2
fi
TENTH=$DIR/demand-$ROWS-tenth.csv
if [ ! -s "$TENTH" ]; then
	head -n $((ROWS / 10 + 1)) "$F" > "$TENTH.tmp" && mv "$TENTH.tmp" "$TENTH" || exit 2
fi
# The same rows as an office exports them: GB18030 (WPS's default).
GB=$DIR/demand-$ROWS-gb18030.csv
if [ ! -s "$GB" ] && command -v iconv > /dev/null 2>&1; then
	iconv -f UTF-8 -t GB18030 "$F" > "$GB.tmp" && mv "$GB.tmp" "$GB" || rm -f "$GB.tmp"
fi
size=$(wc -c < "$F")
slice_size=$(wc -c < "$SLICE")

# median_time FILE CMD...: "WALL CPU" of the run with the median wall time
# of RUNS runs of CMD < FILE (CPU = user + system seconds: on a shared
# machine it says what the work costs whatever else is running).
median_time() {
	file=$1; shift
	: > "$DIR/bench.times"
	"$@" < "$file" > /dev/null 2>&1 # a warm-up run, not timed (as hyperfine --warmup 1)
	i=0
	while [ $i -lt "$RUNS" ]; do
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f "%e %U %S" -o "$DIR/bench.t" "$@" < "$file" > /dev/null 2> "$DIR/bench.err"
			rc=$?
		else # wall time only
			t0=$(date +%s.%N)
			"$@" < "$file" > /dev/null 2> "$DIR/bench.err"
			rc=$?
			echo "$t0 $(date +%s.%N)" | awk '{ print $2 - $1, "NaN", 0 }' > "$DIR/bench.t"
		fi
		if [ $rc -gt 1 ]; then
			echo "bench-ingest: '$*' failed (exit $rc): $(head -n 2 "$DIR/bench.err")" >&2
			echo "NaN NaN"
			return
		fi
		awk '{ print $1, $2 + $3 }' "$DIR/bench.t" >> "$DIR/bench.times"
		i=$((i + 1))
	done
	sort -n "$DIR/bench.times" | awk '{ t[NR] = $0 } END { print t[int((NR + 1) / 2)] }'
}

have() { command -v "$1" > /dev/null 2>&1; }

echo "qy-ingest benchmark: $F"
echo "  $(awk -v b="$size" 'BEGIN { printf "%.0f MB", b / 1e6 }'), $ROWS rows; medians of $RUNS runs;" \
	"$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
results=$DIR/bench.results runs=$DIR/bench.runs
: > "$results"
: > "$runs"
measure() {
	label=$1 file=$2 bytes=$3; shift 3
	t=$(median_time "$file" "$@")
	echo "$label|${t% *}|${t#* }|$bytes" >> "$results"
	echo "  $label: $(cut -d' ' -f1 "$DIR/bench.times" | tr '\n' ' ')" >> "$runs"
}
measure "cat (the limit)" "$F" "$size" cat
measure "libcsv read loop (csvread-bench)" "$F" "$size" "$BIN/csvread-bench"
measure "qy-ingest -t demand" "$F" "$size" "$BIN/qy-ingest" -t demand
measure "qy-ingest -t demand --threads 1" "$F" "$size" "$BIN/qy-ingest" -t demand --threads 1
measure "qy-ingest -t raw" "$F" "$size" "$BIN/qy-ingest" -t raw
if [ -s "$GB" ]; then
	gb_size=$(wc -c < "$GB")
	measure "libcsv read loop, GB18030 file" "$GB" "$gb_size" "$BIN/csvread-bench"
	measure "qy-ingest -t demand, GB18030 file" "$GB" "$gb_size" "$BIN/qy-ingest" -t demand
fi
if have mlr; then
	measure "mlr --icsv --otsv cat" "$F" "$size" mlr --icsv --otsv cat
fi
if have csvformat; then
	measure "csvformat -T (100 MB slice)" "$SLICE" "$slice_size" csvformat -T
fi

awk -F'|' '
	{ label[NR] = $1; secs[NR] = $2; cpu[NR] = $3
	  mbs[NR] = ($2 == "NaN" || $2 <= 0) ? 0 : $4 / $2 / 1e6
	  mbc[NR] = ($3 == "NaN" || $3 <= 0) ? 0 : $4 / $3 / 1e6 }
	$1 == "libcsv read loop (csvread-bench)" { base = NR }
	$1 == "qy-ingest -t demand" { qy = NR }
	$1 == "libcsv read loop, GB18030 file" { gbl = NR }
	$1 == "qy-ingest -t demand, GB18030 file" { gbq = NR }
	END {
		printf "%-34s %8s %8s %8s %10s %9s %9s\n", "", "wall s", "MB/s", "CPU s",
		    "MB/CPU-s", "x libcsv", "qy x"
		for (i = 1; i <= NR; i++)
			printf "%-34s %8.2f %8.1f %8.2f %10.1f %9.2f %9.2f\n", label[i], secs[i],
			    mbs[i], cpu[i], mbc[i], mbs[base] ? mbs[i] / mbs[base] : 0,
			    mbs[i] ? mbs[qy] / mbs[i] : 0
		print ""
		print "MB/s and the ratios are by wall time; MB/CPU-s by user + system time."
		if (gbl && gbq)
			printf "GB18030 file: qy-ingest -t demand is %.2fx the libcsv loop on the same file.\n",
			    secs[gbl] / secs[gbq]
	}' "$results"

echo "wall seconds of every timed run:"
cat "$runs"
echo
# Peak RSS: a tenth of the file, then all of it.  Raw holds no id set, so
# its memory is the widest row's; demand adds the ids (one per row).
rss() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M -o "$DIR/rss" "$@" > /dev/null 2>&1
		cat "$DIR/rss"
	else
		"$@" > /dev/null 2>&1 &
		pid=$!
		peak=0
		while kill -0 $pid 2> /dev/null; do
			hwm=$(awk '/^VmHWM/ { print $2 }' /proc/$pid/status 2> /dev/null)
			[ -n "$hwm" ] && [ "$hwm" -gt "$peak" ] && peak=$hwm
			sleep 0.05
		done
		wait $pid
		echo "$peak"
	fi
}
for t in raw demand; do
	small=$(rss "$BIN/qy-ingest" -t $t "$TENTH")
	big=$(rss "$BIN/qy-ingest" -t $t "$F")
	echo "peak RSS of qy-ingest -t $t: ${small} KB on $((ROWS / 10)) rows, ${big} KB on $ROWS rows"
done
rm -f "$DIR/rss" "$DIR/bench.err" "$DIR/bench.t" "$DIR/bench.times" "$runs"
