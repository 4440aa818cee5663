# Without --as-of, qy-match dispatches as of today and says so.
before=$(date +%Y-%m-%d)
qy-match -r res-tiers.tsv dem-tiers.tsv > "$TMP/match.out" 2> "$TMP/match.err"
echo "status $?"
after=$(date +%Y-%m-%d)
sed 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]$/YYYY-MM-DD/' "$TMP/match.err"
if grep -q "today, $before" "$TMP/match.err" || grep -q "today, $after" "$TMP/match.err"; then
	echo "that is the date today"
fi
cut -f1,2,4 "$TMP/match.out"
