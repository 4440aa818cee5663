# Identical input bytes give identical output bytes, run after run; and the
# generator's district world dispatches without any data problem.
qy-gen -t resource --seed 7 > "$TMP/r.tsv"
qy-gen -t pair --seed 7 > "$TMP/p.tsv"
qy-gen -t demand --seed 7 > "$TMP/d.tsv"
for i in 1 2 3; do
	qy-match -r "$TMP/r.tsv" -p "$TMP/p.tsv" --as-of 2024-06-30 --explain "$TMP/d.tsv" > "$TMP/out$i"
	echo "status $?"
done
cmp "$TMP/out1" "$TMP/out2" && cmp "$TMP/out1" "$TMP/out3" && echo "identical"
awk -F'\t' 'NR > 1 { n[$15 == "" ? "served" : $15]++ } END { for (k in n) print k, n[k] }' "$TMP/out1" | sort
