# A full disk is fatal: exit 2 and a message.
qy-report --as-of 2024-06-30 demands.tsv > /dev/full 2> "$TMP/report.err"
echo "exit $?"
grep -v 'demands.tsv:' "$TMP/report.err"
