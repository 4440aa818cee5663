# Every rejection reason, each row its own, with the rejects file.
qy-ingest -t demand -e utf-8 --stats --max-field 40 -r "$TMP/rej.tsv" demand-rejects.csv
echo "exit $?"
echo "== rejects"
cat "$TMP/rej.tsv"
