# Without --as-of the day of the run is used, and the report says so.
qy-report demands.tsv 2> /dev/null | awk -F'\t' '$1 == "report" && ($2 == "as_of" || $2 == "as_of_source")' > "$TMP/meta"
printf 'report\tas_of\t%s\nreport\tas_of_source\ttoday\n' "$(date +%Y-%m-%d)" | cmp - "$TMP/meta" && echo today said
qy-report -f text demands.tsv 2> /dev/null | grep -c '未指定 --as-of，取运行当天的日期'
