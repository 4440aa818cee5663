#!/bin/sh
# make bench, qy-match part: dispatch a small, a large and a city-size world
# made by qy-gen, and print one table: wall time (median of the runs), peak
# memory, and the objective reached (critical, urgent, normal units served,
# total score).  The worlds are generated once into
# ${QY_BENCH_DIR:-$HOME/.cache/qy-bench} and reused.
#   small  20,000 demands,    3,000 resources (2 districts)
#   large  200,000 demands,  20,000 resources (10 districts)
#   city   2,000,000 demands, 200,000 resources, ~6,000 communities (SPEC 8)
#   citykw the city where every resource writes its own keyword pattern
#          (|编号<resource_id> appended to each): ~62,600 distinct patterns
# QY_BENCH_SIZES="small large" limits the sizes (default: small large city;
# citykw only when asked); QY_BENCH_RUNS sets the runs of small and large
# (default 3; the cities run once).
set -eu
B=${1:-build}
BIN=$(cd "$B" && pwd)
DIR=${QY_BENCH_DIR:-$HOME/.cache/qy-bench}
SIZES=${QY_BENCH_SIZES:-small large city}
RUNS=${QY_BENCH_RUNS:-3}
AS_OF=2024-06-30
LC_ALL=C; export LC_ALL
mkdir -p "$DIR"

world() {
	case $1 in
	small) echo "--districts 2 --demands 20000 --resources 3000" ;;
	large) echo "--districts 10 --demands 200000 --resources 20000" ;;
	city) echo "--preset city" ;;
	esac
}

# Generates match-SIZE-TYPE.tsv unless it is there (written aside, then moved).
generate() {
	if [ "$1" = citykw ]; then
		generate city
		for t in pair demand; do
			ln -sf "match-city-$t.tsv" "$DIR/match-citykw-$t.tsv"
		done
		f=$DIR/match-citykw-resource.tsv
		[ -s "$f" ] && return 0
		awk -F'\t' 'BEGIN { OFS = "\t" } NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
			$c["keywords"] != "" { $c["keywords"] = $c["keywords"] "|编号" $c["resource_id"] } { print }' \
			"$DIR/match-city-resource.tsv" > "$f.tmp.$$"
		mv "$f.tmp.$$" "$f"
		return 0
	fi
	for t in resource pair demand; do
		f=$DIR/match-$1-$t.tsv
		[ -s "$f" ] && continue
		# shellcheck disable=SC2046
		"$BIN/qy-gen" -t $t --format tsv $(world "$1") > "$f.tmp.$$"
		mv "$f.tmp.$$" "$f"
	done
}

# One run: prints "seconds kilobytes".
run() {
	out=$DIR/match-$1.out.$$
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "%e %M" -o "$DIR/time.$$" "$BIN/qy-match" -r "$DIR/match-$1-resource.tsv" \
			-p "$DIR/match-$1-pair.tsv" --as-of $AS_OF -o "$out" "$DIR/match-$1-demand.tsv"
		cat "$DIR/time.$$"
		rm -f "$DIR/time.$$"
	else
		start=$(date +%s.%N)
		"$BIN/qy-match" -r "$DIR/match-$1-resource.tsv" -p "$DIR/match-$1-pair.tsv" \
			--as-of $AS_OF -o "$out" "$DIR/match-$1-demand.tsv"
		end=$(date +%s.%N)
		echo "$(echo "$end - $start" | bc) ?"
	fi
}

objective() {
	awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["resource_id"] != "" { u[$c["priority"]] += $c["units"]; s += $c["units"] * $c["score"] }
		END { printf "%d\t%d\t%d\t%d", u["critical"], u["urgent"], u["normal"], s }' "$1"
}

rows() {
	echo $(($(wc -l < "$1") - 1))
}

printf 'qy-match on %s (%s CPUs, load %s)\n' "$(uname -n)" "$(nproc 2>/dev/null || echo ?)" \
	"$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)"
printf 'size\tdemands\tresources\truns\twall_s\tpeak_MiB\tcritical\turgent\tnormal\tscore\n'
for size in $SIZES; do
	generate "$size"
	n=$RUNS
	case $size in city*) n=1 ;; esac
	: > "$DIR/times.$$"
	i=0
	while [ $i -lt "$n" ]; do
		run "$size" >> "$DIR/times.$$"
		i=$((i + 1))
	done
	wall=$(cut -d' ' -f1 "$DIR/times.$$" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	kib=$(cut -d' ' -f2 "$DIR/times.$$" | sort -n | tail -1)
	mib=$kib
	[ "$kib" != "?" ] && mib=$((kib / 1024))
	obj=$(objective "$DIR/match-$size.out.$$")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$(rows "$DIR/match-$size-demand.tsv")" \
		"$(rows "$DIR/match-$size-resource.tsv")" "$n" "$wall" "$mib" "$obj"
	rm -f "$DIR/match-$size.out.$$" "$DIR/times.$$"
done
