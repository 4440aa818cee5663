#!/bin/sh
# qy-match at generator scale: its two exact methods — lexicographic maximum
# flows, then districts by network simplex and cost scaling (the default), and
# one big-M network simplex for the whole component (QY_MATCH_METHOD=simplex)
# — must reach the same objective tuple (critical, urgent, normal units, total
# score) on worlds of thousands of demands, with resources to spare or short,
# default or negative weights, and windows that matter.  Each output must also
# account for every unit of every demand, and be the same bytes with 1, 2 or 3
# threads.
set -u
B=${1:?usage: suite-match.sh BUILD_DIR}
BIN=$(cd "$B" && pwd)
LC_ALL=C; export LC_ALL
TZ=UTC; export TZ
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

objective() {
	awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["resource_id"] != "" { u[$c["priority"]] += $c["units"]; s += $c["units"] * $c["score"] }
		END { printf "%d %d %d %d\n", u["critical"], u["urgent"], u["normal"], s }' "$1"
}

units() {
	awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ q += ($c["quantity"] == "" ? 1 : $c["quantity"]) } END { print q }' "$1"
}

out_units() {
	awk -F'\t' 'NR > 1 { u += $4 } END { print u }' "$1"
}

# name, world options, qy-match options
check() {
	name=$1 world=$2 opts=$3
	d=$work/$name
	mkdir -p "$d"
	for t in resource pair demand; do
		# shellcheck disable=SC2086
		"$BIN/qy-gen" -t $t $world > "$d/$t.tsv" || { echo "FAIL: match/$name (qy-gen)"; return; }
	done
	# shellcheck disable=SC2086
	"$BIN/qy-match" -r "$d/resource.tsv" -p "$d/pair.tsv" $opts "$d/demand.tsv" > "$d/a.tsv" 2> "$d/a.err"
	ra=$?
	# shellcheck disable=SC2086
	QY_MATCH_METHOD=simplex "$BIN/qy-match" -r "$d/resource.tsv" -p "$d/pair.tsv" $opts \
		"$d/demand.tsv" > "$d/b.tsv" 2> "$d/b.err"
	rb=$?
	# the same bytes whatever the number of threads
	# shellcheck disable=SC2086
	QY_MATCH_THREADS=1 "$BIN/qy-match" -r "$d/resource.tsv" -p "$d/pair.tsv" $opts \
		"$d/demand.tsv" > "$d/c.tsv" 2> /dev/null
	# shellcheck disable=SC2086
	QY_MATCH_THREADS=3 "$BIN/qy-match" -r "$d/resource.tsv" -p "$d/pair.tsv" $opts \
		"$d/demand.tsv" > "$d/e.tsv" 2> /dev/null
	same=no
	cmp -s "$d/a.tsv" "$d/c.tsv" && cmp -s "$d/a.tsv" "$d/e.tsv" && same=yes
	a=$(objective "$d/a.tsv")
	b=$(objective "$d/b.tsv")
	want=$(units "$d/demand.tsv")
	if [ $ra -eq 0 ] && [ $rb -eq 0 ] && [ "$a" = "$b" ] && [ $same = yes ] &&
		[ "$(out_units "$d/a.tsv")" = "$want" ] && [ "$(out_units "$d/b.tsv")" = "$want" ]; then
		echo "PASS: match/$name"
	else
		echo "FAIL: match/$name: status $ra/$rb, objective $a vs $b, units $want, same bytes $same"
		head -3 "$d/a.err" "$d/b.err"
	fi
}

check district-1 "--seed 1" "--as-of 2024-06-30"
check district-2 "--seed 2" "--as-of 2024-06-30 --explain"
check scarce "--seed 3 --districts 3 --streets-per-district 4 --communities-per-street 5 --demands 60000 --resources 5000 --pairs 600" "--as-of 2024-06-30"
check early-as-of "--seed 4" "--as-of 2024-06-10"
check negative-weights "--seed 5" "--as-of 2024-06-30 -w keyword=-10 -w paired=-5 -w wait=7"
check plenty "--seed 6 --districts 4 --demands 8000 --resources 6000" "--as-of 2024-07-31 -w community=0 -w district=40"
