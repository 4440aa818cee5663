#!/bin/sh
# qy-score on a generated district (scripts/qy-gen.c): an independent awk
# reimplementation of the vanguard index must agree with it member by member,
# and the outputs must keep SPEC 5's invariants (every roster row once, sort
# order, competition ranks, bands, order-independence).
#   sh tests/suite-score.sh BUILD_DIR
set -u
B=${1:?usage: suite-score.sh BUILD_DIR}
BIN=$(cd "$B" && pwd)
LC_ALL=C; export LC_ALL
TZ=UTC; export TZ
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pass() { echo "PASS: suite-score: $1"; }
fail() { echo "FAIL: suite-score: $1"; }
check() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1 (got '$2', want '$3')"; fi; }

if [ ! -x "$BIN/qy-gen" ]; then
	fail "no $BIN/qy-gen"
	exit 0
fi
# (qy-gen is only the data source here: its own leaks are not this suite's
# business under ASan.)
for t in member branch activity demand; do
	ASAN_OPTIONS=detect_leaks=0 "$BIN/qy-gen" -t $t --format tsv --month 2024-06 > "$work/$t.tsv" || fail "qy-gen -t $t"
done
"$BIN/qy-score" --print-rules > "$work/rules.tsv"

"$BIN/qy-score" --level member --month 2024-06 -m "$work/member.tsv" "$work/activity.tsv" \
	> "$work/ms.tsv" 2> "$work/ms.err"
check "member level exits 1 (the generator writes unknown kinds)" $? 1
bad=$(grep -cvE '^qy-score: [^:]+:[0-9]+: [a-z_, ]+: ' "$work/ms.err")
check "every message is PROG: FILE:LINE: COLUMN: ..." "$bad" 0

# The vanguard index again, in awk: first matching member rule, points ×
# hours for per-hour rules, caps per kind (one month), clamp to 0..100.
awk -F'\t' -v OFS='\t' '
FILENAME == ARGV[1] {
	if (FNR > 1 && $2 == "member") {
		n++; kind[n] = $1; pat[n] = $3; pts[n] = $4; per[n] = $5; cap[n] = $6
	}
	next
}
FILENAME == ARGV[2] { if (FNR > 1) roster[$1] = 1; next }
FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
{
	m = $col["member_id"]; k = $col["kind"]; h = $col["hours"]
	if (m == "" || substr($col["date"], 1, 7) != "2024-06" || !(m in roster)) next
	for (r = 1; r <= n; r++) if (k ~ pat[r]) break
	if (r > n) next
	if (per[r] == "hour") { if (h == "") next; sum[m, kind[r]] += pts[r] * h }
	else sum[m, kind[r]] += pts[r]
}
END {
	for (m in roster) {
		total = 0
		for (r = 1; r <= n; r++) {
			if (seen[m, kind[r]]++) continue
			v = sum[m, kind[r]] + 0
			if (cap[r] != "") {
				c = cap[r] + 0
				if (c >= 0 && v > c) v = c
				if (c < 0 && v < c) v = c
			}
			total += v
		}
		idx = total < 0 ? 0 : total > 100 ? 100 : total
		printf "%s\t%.4f\t%.4f\n", m, total, idx
	}
}' "$work/rules.tsv" "$work/member.tsv" "$work/activity.tsv" | sort > "$work/awk.tsv"

awk -F'\t' -v OFS='\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{ print $col["member_id"], $col["points"], $col["index"] }' "$work/ms.tsv" | sort > "$work/ours.tsv"
check "one row per roster member" "$(wc -l < "$work/ours.tsv")" "$(($(wc -l < "$work/member.tsv") - 1))"
mismatches=$(join -t "$(printf '\t')" "$work/awk.tsv" "$work/ours.tsv" | awk -F'\t' '
	{ d1 = $2 - $4; d2 = $3 - $5; if (d1 < 0) d1 = -d1; if (d2 < 0) d2 = -d2
	  if (d1 > 0.05 || d2 > 0.05) bad++ } END { print bad + 0 }')
check "points and index agree with the awk reimplementation" "$mismatches" 0
joined=$(join -t "$(printf '\t')" "$work/awk.tsv" "$work/ours.tsv" | wc -l)
check "every member compared" "$joined" "$(wc -l < "$work/ours.tsv")"

# Order, ranks and stars (member level).
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
{
	idx = $col["index"] + 0; id = $col["member_id"]; n++
	if (n > 1 && (idx > prev || (idx == prev && id <= prevId))) bad = bad "order@" NR " "
	want = (n > 1 && idx == prev) ? prevRank : n
	if ($col["rank"] != want) bad = bad "rank@" NR " "
	s = idx >= 90 ? 5 : idx >= 80 ? 4 : idx >= 70 ? 3 : idx >= 60 ? 2 : 1
	if ($col["pts_violation"] + 0 < 0) s = 1
	if ($col["stars"] != s) bad = bad "stars@" NR " "
	if ($col["inactive"] == "yes" && $col["points"] != "0.0") bad = bad "inactive@" NR " "
	prev = idx; prevId = id; prevRank = $col["rank"]
}
END { print bad == "" ? "ok" : bad }' "$work/ms.tsv" > "$work/order"
check "member rows sorted by index then id, competition ranks, stars with veto" \
	"$(cut -c1-200 "$work/order")" ok

# The same rows in another order give the same bytes.
{ head -1 "$work/activity.tsv"; tail -n +2 "$work/activity.tsv" | sort -t "$(printf '\t')" -k4,4 -k2,2r; } \
	> "$work/shuffled.tsv"
"$BIN/qy-score" --level member --month 2024-06 -m "$work/member.tsv" "$work/shuffled.tsv" \
	> "$work/ms2.tsv" 2> /dev/null
if cmp -s "$work/ms.tsv" "$work/ms2.tsv"; then pass "member output independent of row order"
else fail "member output independent of row order"; fi

# Branch level: every roster branch once, bands and ranks consistent.
"$BIN/qy-score" --level branch --month 2024-06 -m "$work/member.tsv" -b "$work/branch.tsv" \
	-d "$work/demand.tsv" "$work/activity.tsv" > "$work/bs.tsv" 2> /dev/null
check "branch level exits 1" $? 1
check "one row per roster branch" "$(($(wc -l < "$work/bs.tsv") - 1))" \
	"$(($(wc -l < "$work/branch.tsv") - 1))"
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
{
	idx = $col["index"] + 0; n++
	if (idx < 0 || idx > 100) bad = bad "range@" NR " "
	g = idx >= 90 ? "A" : idx >= 75 ? "B" : idx >= 60 ? "C" : "D"
	if ($col["grade"] != g) bad = bad "grade@" NR " "
	s = idx >= 90 ? 5 : idx >= 80 ? 4 : idx >= 70 ? 3 : idx >= 60 ? 2 : 1
	if ($col["stars"] != s) bad = bad "stars@" NR " "
	p = $col["penalty"]
	if (p != "0.0" && p != "10.0" && p != "20.0" && p != "30.0") bad = bad "penalty@" NR " "
	if ($col["members"] == 0 && ($col["vanguard"] != "" || $col["participation"] != ""))
		bad = bad "empty@" NR " "
	if ($col["community"] == "" && $col["service"] != "") bad = bad "service@" NR " "
	want = (n > 1 && idx == prev) ? prevRank : n
	if ($col["rank"] != want) bad = bad "rank@" NR " "
	if (n > 1 && idx > prev) bad = bad "order@" NR " "
	prev = idx; prevRank = $col["rank"]
}
END { print bad == "" ? "ok" : bad }' "$work/bs.tsv" > "$work/border"
check "branch rows: range, grade, stars, penalty, empty components, ranks" \
	"$(cut -c1-200 "$work/border")" ok

# A branch's vanguard is the mean of its members' rounded indices.
awk -F'\t' 'FILENAME == ARGV[1] { if (FNR == 1) { for (i = 1; i <= NF; i++) c[$i] = i; next }
		s[$c["branch_id"]] += $c["index"]; n[$c["branch_id"]]++; next }
	FNR == 1 { for (i = 1; i <= NF; i++) d[$i] = i; next }
	{ b = $d["branch_id"]; if (!(b in n)) next
	  v = s[b] / n[b]; got = $d["vanguard"] + 0; diff = v - got; if (diff < 0) diff = -diff
	  if (diff > 0.05 + 1e-9) bad++ }
	END { print bad + 0 }' "$work/ms.tsv" "$work/bs.tsv" > "$work/vg"
check "branch vanguard = mean of member indices" "$(cat "$work/vg")" 0
exit 0
