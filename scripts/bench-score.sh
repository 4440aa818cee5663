#!/bin/sh
# bench-score.sh BUILD_DIR — qy-score at city size (SPEC 8) against mawk.
#
# The target (issue "qy-score"): each level in at most 1.5 × the time mawk
# takes to count and sum the same activity file by member, with memory
# proportional to members and branches, not rows.  Data comes from
# $B/qy-gen --format tsv --preset city, generated once and cached in
# ${QY_BENCH_DIR:-$HOME/.cache/qy-bench}.  Runs are interleaved (mawk, member,
# branch, mawk, …) so that a load change on a shared machine hits all three
# alike; the table shows medians of QY_BENCH_RUNS runs (default 3).
set -eu
B=${1:-build}
BIN=$(cd "$B" && pwd)
DIR=${QY_BENCH_DIR:-$HOME/.cache/qy-bench}
RUNS=${QY_BENCH_RUNS:-3}
MONTH=2024-06
LC_ALL=C; export LC_ALL

command -v mawk > /dev/null || { echo "bench-score: mawk is needed for the baseline" >&2; exit 2; }
[ -x "$BIN/qy-score" ] && [ -x "$BIN/qy-gen" ] || { echo "bench-score: build $B first" >&2; exit 2; }
mkdir -p "$DIR"

for t in member branch demand activity; do
	f=$DIR/city-$t.tsv
	if [ ! -s "$f" ]; then
		echo "generating $f ..."
		"$BIN/qy-gen" -t $t --format tsv --preset city > "$f.tmp.$$"
		mv "$f.tmp.$$" "$f"
	fi
done
ACT=$DIR/city-activity.tsv
MEM=$DIR/city-member.tsv
BRA=$DIR/city-branch.tsv
DEM=$DIR/city-demand.tsv

# The real column positions of member_id and hours, for mawk.
col() { head -1 "$ACT" | tr '\t' '\n' | grep -nx "$1" | cut -d: -f1; }
MCOL=$(col member_id)
HCOL=$(col hours)
AWKPROG="NR>1{c[\$$MCOL]++; s[\$$MCOL]+=\$$HCOL} END{for(k in c) print k, c[k], s[k]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run NAME CMD...: runs once, appends "seconds maxrss_kb" to $work/NAME.
run() {
	name=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "%e %M" -o "$work/t" "$@" > "$work/out.$name" 2> /dev/null || true
		cat "$work/t" | tail -1 >> "$work/$name"
	else
		t0=$(date +%s.%N)
		"$@" > "$work/out.$name" 2> /dev/null || true
		t1=$(date +%s.%N)
		echo "$t0 $t1" | awk '{ printf "%.2f 0\n", $2 - $1 }' >> "$work/$name"
	fi
}

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
peak_mb() { sort -k2,2n "$1" | tail -1 | awk '{ printf "%.0f", $2 / 1024 }'; }

rows=$(($(wc -l < "$ACT") - 1))
members=$(($(wc -l < "$MEM") - 1))
branches=$(($(wc -l < "$BRA") - 1))
mb=$(($(wc -c < "$ACT") / 1048576))
echo "qy-score bench: $rows activity rows ($mb MiB), $members members, $branches branches,"
echo "  $(($(wc -l < "$DEM") - 1)) demands; $RUNS runs each, interleaved; $(nproc 2> /dev/null || echo '?') CPUs,"
echo "  load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null || echo '?')"
echo "commands:"
printf '  mawk   %s\n' "mawk -F'\\t' '$AWKPROG' $ACT"
echo "  member $BIN/qy-score --level member --month $MONTH -m $MEM $ACT"
echo "  branch $BIN/qy-score --level branch --month $MONTH -m $MEM -b $BRA -d $DEM $ACT"

cat "$ACT" > /dev/null # the first run should not be the one that reads the disk
i=0
while [ $i -lt "$RUNS" ]; do
	run mawk mawk -F'\t' "$AWKPROG" "$ACT"
	run member "$BIN/qy-score" --level member --month $MONTH -m "$MEM" "$ACT"
	run branch "$BIN/qy-score" --level branch --month $MONTH -m "$MEM" -b "$BRA" -d "$DEM" "$ACT"
	i=$((i + 1))
done

base=$(median "$work/mawk")
printf '%-34s %10s %12s %10s\n' "what" "median s" "peak RSS MB" "× mawk"
verdict=PASS
for name in mawk member branch; do
	m=$(median "$work/$name")
	ratio=$(echo "$m $base" | awk '{ printf "%.2f", $1 / $2 }')
	case $name in
	mawk) label="mawk count+sum by member" ;;
	member) label="qy-score --level member" ;;
	branch) label="qy-score --level branch (-m -b -d)" ;;
	esac
	printf '%-34s %10s %12s %10s\n' "$label" "$m" "$(peak_mb "$work/$name")" "$ratio"
	if [ "$name" != mawk ] && [ "$(echo "$ratio" | awk '{ print ($1 <= 1.5) }')" != 1 ]; then
		verdict=FAIL
	fi
done
echo "runs (s): mawk $(awk '{ printf "%s ", $1 }' "$work/mawk")|" \
	"member $(awk '{ printf "%s ", $1 }' "$work/member")|" \
	"branch $(awk '{ printf "%s ", $1 }' "$work/branch")"
echo "target: each level ≤ 1.5 × mawk: $verdict"
