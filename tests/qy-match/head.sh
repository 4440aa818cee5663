# A reader that goes away (| head -1) ends qy-match quietly: no message,
# killed by SIGPIPE or exit 0, never 2.  The output must outgrow the pipe and
# qy-match's buffer: 30,000 demands nobody serves.
awk 'BEGIN { print "demand_id\tsubmitted\tstreet\tcommunity\tcategory\tcontent"
	for (i = 0; i < 30000; i++) printf "D%06d\t2024-06-01\t湖南路街道\t阳光社区\tgov\t办证\n", i }' > "$TMP/d.tsv"
{ qy-match -r res-tiers.tsv --as-of 2024-06-30 "$TMP/d.tsv" 2> "$TMP/match.err"; echo $? > "$TMP/match.rc"; } | head -1
rc=$(cat "$TMP/match.rc")
case $rc in 0|141) echo "quiet exit" ;; *) echo "exit $rc" ;; esac
cat "$TMP/match.err"
