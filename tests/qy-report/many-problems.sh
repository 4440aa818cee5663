# At most 10000 problem messages an input, then how many more; the same with
# one thread or two (the second half's messages wait for the first's).
awk 'BEGIN {
	print "demand_id\tsubmitted\tstreet\tcommunity\tcategory\tcontent"
	for (i = 1; i <= 30000; i++)
		printf "D%d\t2024-06-%02d\t江东街道\t幕府社区\t%s\tx\n", i, i % 28 + 1, i % 3 ? "bad" : "life"
}' > "$TMP/d.tsv"
QY_REPORT_THREADS=1 qy-report --as-of 2024-06-30 "$TMP/d.tsv" > "$TMP/o1" 2> "$TMP/e1"
echo "one thread: exit $?"
QY_REPORT_THREADS=2 qy-report --as-of 2024-06-30 "$TMP/d.tsv" > "$TMP/o2" 2> "$TMP/e2"
echo "two threads: exit $?"
cmp "$TMP/o1" "$TMP/o2" && cmp "$TMP/e1" "$TMP/e2" && echo same
wc -l < "$TMP/e1"
sed -n '1p;10000p;10001p' "$TMP/e1" | sed "s|$TMP/||"
awk -F'\t' '$1 == "inputs" { print $4, $5 } $1 == "demands" && $2 == "total" { print $3 }' "$TMP/o1"
qy-report --as-of 2024-06-30 < "$TMP/d.tsv" 2>&1 > /dev/null | sed -n '10001p'
