# -o writes the file atomically; a failed run leaves the old one alone.
echo old > "$TMP/r.tsv"
qy-report --as-of 2024-06-30 -o "$TMP/r.tsv" demands.tsv 2> /dev/null
echo "exit $?"
head -1 "$TMP/r.tsv"
echo old > "$TMP/r.tsv"
qy-report --as-of 2024-06-30 -o "$TMP/r.tsv" unknown.tsv 2> /dev/null
echo "exit $?"
cat "$TMP/r.tsv"
# no temporary file left behind
n=0
for f in "$TMP"/*tmp*; do [ -e "$f" ] && n=$((n + 1)); done
echo "$n"
