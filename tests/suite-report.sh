#!/bin/sh
# qy-report against an independent computation: the same demand TSV imported
# into sqlite3, the per-street counts, rates and means computed in SQL and
# compared with the report's "demands" section; the needs ranking's counts
# likewise; one thread against two on a bigger file.
set -u
B=${1:?usage: suite-report.sh BUILD_DIR}
BIN=$(cd "$B" && pwd)
LC_ALL=C; export LC_ALL
TZ=UTC; export TZ
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass() { echo "PASS: report/$1"; }
fail() { echo "FAIL: report/$1"; }

if ! command -v sqlite3 > /dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then fail sqlite3-missing; else echo "SKIP: report/sqlite (no sqlite3)"; fi
	exit 0
fi

# Two months of a district's demands in one file.
"$BIN/qy-gen" -t demand --month 2024-06 > "$work/d.tsv" 2> /dev/null
"$BIN/qy-gen" -t demand --month 2024-05 --seed 7 2> /dev/null | tail -n +2 >> "$work/d.tsv"

# The report's demand rows without the section column; rates and means as printed.
section() { awk -F'\t' -v s="$1" '$1 == s' | cut -f2-; }

sql_by_street() { # $1: WHERE clause
	sqlite3 -separator '	' "$work/db" <<SQL
SELECT street, count(*),
  sum(status = 'open' OR status = ''), sum(status = 'claimed'), sum(status = 'done'),
  sum(status = 'closed'),
  sum(status IN ('open', 'claimed', '') AND needed_by <> '' AND needed_by < '2024-06-30'),
  sum(status = 'done'), count(*) - sum(status = 'closed'),
  sum(CASE WHEN status = 'done' AND done_date <> '' THEN julianday(done_date) - julianday(submitted) END),
  sum(status = 'done' AND done_date <> ''),
  sum(CASE WHEN satisfaction <> '' THEN satisfaction + 0 END), sum(satisfaction <> ''),
  sum(satisfaction <> '' AND satisfaction + 0 >= 4)
FROM d $1 GROUP BY street ORDER BY street;
SQL
}

# Joins the report's rows (street received open claimed done closed rate
# overdue days sat share) with SQL's (street received open claimed done closed
# overdue rate_num rate_den days_sum days_n sat_sum sat_n sat_good) and checks
# every count exactly and every rate and mean to its printed rounding.
compare() { # $1 report rows, $2 sql rows
	awk -F'\t' '
	function near(printed, num, den, eps) {
		if (den == 0) return printed == ""
		return printed != "" && (printed - num / den) <= eps && (num / den - printed) <= eps
	}
	NR == FNR { r[$1] = $0; next }
	{
		n++
		if (!($1 in r)) { print "missing street " $1; bad++; next }
		split(r[$1], x, "\t")
		if (x[2] != $2 || x[3] != $3 || x[4] != $4 || x[5] != $5 || x[6] != $6 || x[8] != $7) {
			print "counts differ: " r[$1] " / " $0; bad++
		}
		if (!near(x[7], $8, $9, 0.0000501)) { print "completion: " x[7] " vs " $8 "/" $9; bad++ }
		if (!near(x[9], $10, $11, 0.00501)) { print "days: " x[9] " vs " $10 "/" $11; bad++ }
		if (!near(x[10], $12, $13, 0.00501)) { print "satisfaction: " x[10] " vs " $12 "/" $13; bad++ }
		if (!near(x[11], $14, $13, 0.0000501)) { print "share: " x[11] " vs " $14 "/" $13; bad++ }
	}
	END { if (n == 0) { print "no rows"; bad++ } exit bad > 0 }' "$1" "$2"
}

sqlite3 "$work/db" ".mode tabs" ".import $work/d.tsv d"

"$BIN/qy-report" --as-of 2024-06-30 "$work/d.tsv" > "$work/r.tsv" 2> "$work/err"
section demands < "$work/r.tsv" | grep -v '^total	' > "$work/rep"
sql_by_street "" > "$work/sql"
if compare "$work/rep" "$work/sql" && [ ! -s "$work/err" ]; then pass sqlite-by-street; else fail sqlite-by-street; fi

# The total row is the sum of the streets, and SQL's count of all rows.
total=$(section demands < "$work/r.tsv" | awk -F'\t' '$1 == "total" { print $2 }')
all=$(sqlite3 "$work/db" "SELECT count(*) FROM d")
if [ "$total" = "$all" ]; then pass sqlite-total; else fail sqlite-total; echo "  $total vs $all"; fi

"$BIN/qy-report" --month 2024-06 --as-of 2024-06-30 "$work/d.tsv" > "$work/m.tsv" 2> "$work/err"
section demands < "$work/m.tsv" | grep -v '^total	' > "$work/rep"
sql_by_street "WHERE substr(submitted, 1, 7) = '2024-06'" > "$work/sql"
outside=$(section inputs < "$work/m.tsv" | cut -f5)
want=$(sqlite3 "$work/db" "SELECT count(*) FROM d WHERE substr(submitted, 1, 7) <> '2024-06'")
if compare "$work/rep" "$work/sql" && [ "$outside" = "$want" ]; then pass sqlite-month; else fail sqlite-month; fi

# The needs ranking: category and community counts.
section needs_by_category < "$work/r.tsv" | cut -f2,3 | sort > "$work/rep"
sqlite3 -separator '	' "$work/db" "SELECT category, count(*) FROM d GROUP BY category" | sort > "$work/sql"
if cmp -s "$work/rep" "$work/sql"; then pass sqlite-categories; else fail sqlite-categories; diff "$work/rep" "$work/sql"; fi
"$BIN/qy-report" --top 1000000 --as-of 2024-06-30 "$work/d.tsv" | section needs_by_community | cut -f2-4 | sort > "$work/rep"
sqlite3 -separator '	' "$work/db" "SELECT street, community, count(*) FROM d GROUP BY street, community" | sort > "$work/sql"
if cmp -s "$work/rep" "$work/sql"; then pass sqlite-communities; else fail sqlite-communities; diff "$work/rep" "$work/sql" | head; fi

# --by two columns against GROUP BY of both.
"$BIN/qy-report" --by street,category --as-of 2024-06-30 "$work/d.tsv" | section demands | grep -v '^total	' | cut -f1-3 > "$work/rep"
sqlite3 -separator '	' "$work/db" "SELECT street, category, count(*) FROM d GROUP BY street, category ORDER BY street, category" > "$work/sql"
if cmp -s "$work/rep" "$work/sql"; then pass sqlite-by-two; else fail sqlite-by-two; diff "$work/rep" "$work/sql" | head; fi

# One thread or two over a bigger file: the same bytes.
"$BIN/qy-gen" -t demand -n 60000 --bad 30 > "$work/big.tsv" 2> /dev/null
QY_REPORT_THREADS=1 "$BIN/qy-report" --as-of 2024-06-30 "$work/big.tsv" > "$work/o1" 2> "$work/e1"
QY_REPORT_THREADS=2 "$BIN/qy-report" --as-of 2024-06-30 "$work/big.tsv" > "$work/o2" 2> "$work/e2"
if cmp -s "$work/o1" "$work/o2" && cmp -s "$work/e1" "$work/e2" && [ -s "$work/e1" ]; then
	pass threads-same
else
	fail threads-same
fi
