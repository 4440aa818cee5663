#!/bin/sh
# scripts/qy-monthly, the monthly job: it finds the exports by their Chinese
# names, runs the chain, publishes the month atomically, keeps the previous
# good output when a step fails, and says what happened.
#
# Most cases run the real qy-ingest and qy-report with two small test doubles
# for qy-match and qy-score (SPEC 4 and 5 shaped output; a failure on
# demand), so that every branch of the script is exercised whatever state the
# other programs are in; the last case runs the real chain when it is built.
set -u
B=${1:?usage: suite-report-monthly.sh BUILD_DIR}
BIN=$(cd "$B" && pwd)
LC_ALL=C; export LC_ALL
TZ=UTC; export TZ
top=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass() { echo "PASS: monthly/$1"; }
fail() { echo "FAIL: monthly/$1"; }
monthly="$top/scripts/qy-monthly"

if [ ! -x "$BIN/qy-ingest" ] || [ ! -x "$BIN/qy-report" ] || [ ! -d samples ]; then
	echo "SKIP: monthly (needs qy-ingest, qy-report and samples/)"
	exit 0
fi

# ---- the test doubles ----
mkdir -p "$work/bin"
ln -s "$BIN/qy-ingest" "$BIN/qy-report" "$work/bin/"
cat > "$work/bin/qy-match" << 'EOF'
#!/bin/sh
# test double for qy-match: every open demand unserved (no_resource), the rest
# not_open.  QY_FAKE_FAIL=match makes it fail as a broken run would.
[ "${QY_FAKE_FAIL:-}" = match ] && { echo "qy-match: simulated failure" >&2; exit 2; }
while [ $# -gt 1 ]; do case $1 in -r | -p | --as-of) shift 2 ;; *) break ;; esac; done
awk -F'\t' -v OFS='\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i
	print "demand_id", "resource_id", "unit", "units", "score", "tier", "paired", "keyword",
		"district", "street", "community", "category", "priority", "submitted", "reason", "escalate"
	next }
{ st = $c["status"]; open = st == "" || st == "open"; p = $c["priority"]; if (p == "") p = "normal"
  q = $c["quantity"]; if (q == "") q = 1
  print $c["demand_id"], "", "", q, "", "", "", "", $c["district"], $c["street"], $c["community"],
	$c["category"], p, $c["submitted"], open ? "no_resource" : "not_open", open ? "district" : "" }' "$1"
EOF
cat > "$work/bin/qy-score" << 'EOF'
#!/bin/sh
# test double for qy-score: every member inactive, every branch grade D.
[ "${QY_FAKE_FAIL:-}" = score ] && { echo "qy-score: simulated failure" >&2; exit 2; }
level="" m="" b=""
while [ $# -gt 1 ]; do
	case $1 in
	--level) level=$2; shift 2 ;;
	-m) m=$2; shift 2 ;;
	-b) b=$2; shift 2 ;;
	-d | -R | --month) shift 2 ;;
	*) break ;;
	esac
done
if [ "$level" = member ]; then
	awk -F'\t' -v OFS='\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i
		print "member_id", "name", "branch_id", "member_kind", "points", "index", "stars", "rank", "branch_rank", "inactive"; next }
	{ print $c["member_id"], $c["name"], $c["branch_id"], $c["member_kind"], 0, "0.0", 1, 1, 1, "yes" }' "$m"
else
	awk -F'\t' -v OFS='\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i
		print "branch_id", "name", "street", "community", "members", "org_life", "vanguard", "participation", "service", "penalty", "index", "grade", "stars", "rank"; next }
	{ print $c["branch_id"], $c["name"], $c["street"], $c["community"], 0, "", "", "", "", 0, "50.0", "D", 1, 1 }' "$b"
fi
EOF
chmod +x "$work/bin/qy-match" "$work/bin/qy-score"

run_monthly() { # run_monthly MONTH EXPORTS OUT: status in $rc, stderr in $work/err
	QY_BIN="$work/bin" sh "$monthly" "$@" > "$work/out" 2> "$work/err"
	rc=$?
}

# ---- the samples: published, with the rejected rows kept ----
cp -r samples "$work/exports"
run_monthly 2024-06 "$work/exports" "$work/reports"
m=$work/reports/2024-06
ok=1
[ $rc -eq 1 ] || { ok=0; echo "  exit $rc, want 1 (samples have bad rows)"; }
for f in report.html report.csv report.txt report.tsv qy-monthly.log \
	data/demand.tsv data/resource.tsv data/pair.tsv data/member.tsv data/branch.tsv \
	data/activity.tsv data/match.tsv data/member-scores.tsv data/branch-scores.tsv \
	rejects/demand.tsv rejects/activity.tsv; do
	[ -s "$m/$f" ] || { ok=0; echo "  missing $f"; }
done
[ "$(($(wc -l < "$m/rejects/demand.tsv") - 1))" -eq 10 ] || { ok=0; echo "  demand rejects: not 10"; }
grep -q 'published' "$m/qy-monthly.log" || { ok=0; echo "  log says nothing of publishing"; }
grep -q 'demand: rows rejected: 10' "$work/err" || { ok=0; echo "  stderr does not tell the rejects"; }
leftovers=$(find "$work/reports" -maxdepth 1 -name '.*' ! -name . | wc -l)
[ "$leftovers" -eq 0 ] || { ok=0; echo "  leftovers in reports/"; }
if [ $ok = 1 ]; then pass samples-published; else fail samples-published; fi

# The report is the month's: --month, --as-of the last day, inputs named data/….
if head -c 3 "$m/report.csv" | od -An -tx1 | grep -q 'ef bb bf' &&
	grep -q '^report	as_of	2024-06-30$' "$m/report.tsv" &&
	grep -q '^report	month	2024-06$' "$m/report.tsv" &&
	grep -q '^inputs	data/match.tsv	match	' "$m/report.tsv" &&
	grep -q '2024年6月社区服务工作报告' "$m/report.html"; then
	pass report-of-the-month
else
	fail report-of-the-month
fi

# ---- a failed run keeps the previous good output ----
cp "$m/report.html" "$work/before.html"
QY_FAKE_FAIL=match run_monthly 2024-06 "$work/exports" "$work/reports"
if [ $rc -eq 2 ] && cmp -s "$m/report.html" "$work/before.html" &&
	grep -q 'FAILED: qy-match' "$work/err" &&
	grep -q 'simulated failure' "$work/reports/.2024-06.failed/qy-monthly.log" &&
	[ ! -e "$work/reports/.2024-06.lock" ]; then
	pass failure-keeps-previous
else
	fail failure-keeps-previous
	echo "  exit $rc"
fi
QY_FAKE_FAIL=score run_monthly 2024-06 "$work/exports" "$work/reports"
if [ $rc -eq 2 ] && cmp -s "$m/report.html" "$work/before.html"; then pass score-failure; else fail score-failure; fi
# …and the next good run replaces it.
run_monthly 2024-06 "$work/exports" "$work/reports"
if [ $rc -eq 1 ] && [ -s "$m/report.html" ] && [ ! -e "$work/reports/.2024-06.failed" ]; then
	pass rerun-publishes
else
	fail rerun-publishes
fi

# ---- finding exports by name and month ----
mkdir -p "$work/ex2"
"$BIN/qy-gen" -t demand --format csv --month 2024-06 > "$work/ex2/需求清单_2024-06_东城街道.csv" 2> /dev/null
"$BIN/qy-gen" -t demand --format csv --month 2024-05 --seed 9 > "$work/ex2/需求清单_2024-05.csv" 2> /dev/null
"$BIN/qy-gen" -t demand --format csv --month 2024-07 --seed 9 > "$work/ex2/需求清单202407.csv" 2> /dev/null
"$BIN/qy-gen" -t resource --format csv > "$work/ex2/资源清单.csv" 2> /dev/null
"$BIN/qy-gen" -t member --format csv > "$work/ex2/党员名册_2024年5月.csv" 2> /dev/null
"$BIN/qy-gen" -t branch --format csv > "$work/ex2/党支部名册.CSV" 2> /dev/null
"$BIN/qy-gen" -t activity --format csv --month 2024-06 > "$work/ex2/活动记录2024年6月.csv" 2> /dev/null
echo "not an export" > "$work/ex2/需求清单_2024-06说明.docx"
run_monthly 2024-06 "$work/ex2" "$work/rep2"
log=$work/rep2/2024-06/qy-monthly.log
if [ $rc -eq 0 ] &&
	grep -q 'demand: 需求清单_2024-06_东城街道.csv$' "$log" &&
	grep -q 'member: no export of 2024-06; using the latest before it (202405)' "$log" &&
	grep -q 'branch: 党支部名册.CSV$' "$log" &&
	grep -q 'activity: 活动记录2024年6月.csv$' "$log" &&
	grep -q 'pair: no 结对共建' "$log" &&
	[ ! -e "$work/rep2/2024-06/data/pair.tsv" ]; then
	pass names-and-months
else
	fail names-and-months
	echo "  exit $rc"
	grep -E 'demand:|member:|branch:|activity:|pair:' "$log" | sed 's/^/  /'
fi
# Two files of one kind are ingested together.
cp "$work/ex2/需求清单_2024-06_东城街道.csv" "$work/ex2/需求清单_2024-06_西城街道.csv"
run_monthly 2024-06 "$work/ex2" "$work/rep3"
if [ $rc -eq 1 ] && grep -q 'demand: 需求清单_2024-06_东城街道.csv 需求清单_2024-06_西城街道.csv$' \
	"$work/rep3/2024-06/qy-monthly.log" && grep -q 'duplicate of' "$work/rep3/2024-06/rejects/demand.tsv"; then
	pass several-files-one-kind
else
	fail several-files-one-kind
fi

# ---- what stops a run ----
mkdir -p "$work/ex3"
cp "$work/ex2/需求清单_2024-06_东城街道.csv" "$work/ex2/资源清单.csv" "$work/ex2/党支部名册.CSV" \
	"$work/ex2/活动记录2024年6月.csv" "$work/ex3/"
run_monthly 2024-06 "$work/ex3" "$work/rep4"
if [ $rc -eq 2 ] && grep -q 'no member export' "$work/err" && [ ! -e "$work/rep4/2024-06" ]; then
	pass missing-export
else
	fail missing-export
fi
run_monthly 2024-13 "$work/ex2" "$work/rep5"
r1=$rc
run_monthly 2024-06 "$work/ex2"
r2=$rc
run_monthly 2024-06 "$work/no-such-dir" "$work/rep5"
r3=$rc
QY_BIN="$work/bin" sh "$monthly" --help > "$work/help" 2>&1
r4=$?
if [ $r1 -eq 2 ] && [ $r2 -eq 2 ] && [ $r3 -eq 2 ] && [ $r4 -eq 0 ] && grep -q '需求清单' "$work/help"; then
	pass usage
else
	fail usage
	echo "  $r1 $r2 $r3 $r4"
fi
mkdir -p "$work/rep6/.2024-06.lock"
run_monthly 2024-06 "$work/ex2" "$work/rep6"
if [ $rc -eq 2 ] && grep -q 'another run of 2024-06' "$work/err" && [ ! -e "$work/rep6/2024-06" ]; then
	pass lock
else
	fail lock
fi
QY_BIN="$work/nowhere" sh "$monthly" 2024-06 "$work/ex2" "$work/rep7" > /dev/null 2> "$work/err"
if [ $? -eq 2 ] && grep -q 'set QY_BIN' "$work/err"; then pass programs-not-found; else fail programs-not-found; fi

# Installed beside the programs (make install), it finds them without QY_BIN.
cp "$monthly" "$work/bin/qy-monthly"
(unset QY_BIN; PATH=/usr/bin:/bin sh "$work/bin/qy-monthly" 2024-06 "$work/ex2" "$work/rep8") \
	> /dev/null 2> "$work/err"
if grep -q "programs: $work/bin/qy-ingest $work/bin/qy-match" "$work/rep8/2024-06/qy-monthly.log"; then
	pass programs-beside-the-script
else
	fail programs-beside-the-script
	tail -3 "$work/err" | sed 's/^/  /'
fi

# ---- the real chain, when qy-match and qy-score are built ----
if [ -x "$BIN/qy-match" ] && [ -x "$BIN/qy-score" ]; then
	QY_BIN=$BIN sh "$monthly" 2024-06 samples "$work/real" > /dev/null 2> "$work/err"
	rc=$?
	t=$work/real/2024-06/report.tsv
	if [ $rc -le 1 ] && grep -q '^match_summary	' "$t" && grep -q '^member_stars	' "$t" &&
		grep -q '^branch_grades	' "$t"; then
		pass real-chain
	else
		fail real-chain
		echo "  exit $rc"
		tail -5 "$work/err" | sed 's/^/  /'
	fi
else
	echo "SKIP: monthly/real-chain (qy-match or qy-score not built yet)"
fi
