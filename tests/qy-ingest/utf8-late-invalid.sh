# UTF-8 was picked from the first 64 KiB: a later invalid row is rejected,
# never re-decoded as GB18030.
cd "$TMP" || exit 99
{ printf 'a,b\n'; awk 'BEGIN { for (i = 0; i < 3000; i++) print i ",中文中文中文中文中文中文" }'; printf 'x,\326\320\n'; } > late.csv
qy-ingest -t raw late.csv > out.tsv; echo "exit $?"
tail -n 1 out.tsv
