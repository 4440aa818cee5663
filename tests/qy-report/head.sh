# A reader that goes away (| head) ends the report quietly.
qy-gen -t demand -n 20000 > "$TMP/d.tsv" 2> /dev/null
qy-report --as-of 2024-06-30 --by demand_id "$TMP/d.tsv" 2> "$TMP/report.err" | head -1
cat "$TMP/report.err"
