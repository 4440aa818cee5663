# One thread or two over the same file: the same bytes out, the same
# messages with the same line numbers, in the same order.
qy-gen -t demand --bad 40 > "$TMP/d.tsv" 2> /dev/null
for t in 1 2; do
	QY_REPORT_THREADS=$t qy-report --as-of 2024-06-30 --by street,category "$TMP/d.tsv" \
		> "$TMP/out$t" 2> "$TMP/err$t"
	echo "threads $t: exit $?"
done
cmp "$TMP/out1" "$TMP/out2" && echo same output
cmp "$TMP/err1" "$TMP/err2" && echo same messages
test -s "$TMP/err1" && echo some problems reported
QY_REPORT_THREADS=2 qy-report --as-of 2024-06-30 demands.tsv > "$TMP/small2" 2> "$TMP/smallerr2"
QY_REPORT_THREADS=1 qy-report --as-of 2024-06-30 demands.tsv > "$TMP/small1" 2> "$TMP/smallerr1"
cmp "$TMP/small1" "$TMP/small2" && cmp "$TMP/smallerr1" "$TMP/smallerr2" && echo small file same
QY_REPORT_THREADS=3 qy-report demands.tsv
echo "bad knob: $?"
