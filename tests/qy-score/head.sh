# A reader that goes away (| head -1) ends qy-score quietly: no message,
# killed by SIGPIPE or exit 0, never 2.  The output must outgrow the pipe and
# qy-score's buffer, so the activity names 30,000 members.
awk 'BEGIN { print "date\tmember_id\tbranch_id\tkind\thours"
	for (i = 0; i < 30000; i++) printf "2024-06-01\tM%06d\tB%d\t三会一课\t\n", i, i % 50 }' > "$TMP/act.tsv"
{ qy-score --level member --month 2024-06 "$TMP/act.tsv" 2> "$TMP/err"; echo $? > "$TMP/rc"; } | head -1
rc=$(cat "$TMP/rc")
case $rc in 0|141) echo "quiet exit" ;; *) echo "exit $rc" ;; esac
cat "$TMP/err"
