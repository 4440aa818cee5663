# -o writes the file atomically; a failed run leaves no file behind.
mkdir "$TMP/o"
qy-match -r res-tiers.tsv --as-of 2024-06-30 -o "$TMP/o/out.tsv" dem-tiers.tsv
echo "status $?"
cut -f1,2,4 "$TMP/o/out.tsv"
qy-match -r res-tiers.tsv --as-of 2024-06-30 -o "$TMP/o/bad.tsv" dem-nocat.tsv
echo "status $?"
ls "$TMP/o"
qy-match -r res-tiers.tsv --as-of 2024-06-30 -o "$TMP/no/such/dir/x.tsv" dem-tiers.tsv 2>&1 | sed "s|$TMP|TMP|"
