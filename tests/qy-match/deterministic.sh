# Identical input bytes give identical output bytes, run after run; and on the
# generator's district world every demand's units are accounted for.
qy-gen -t resource --seed 7 > "$TMP/r.tsv"
qy-gen -t pair --seed 7 > "$TMP/p.tsv"
qy-gen -t demand --seed 7 > "$TMP/d.tsv"
for i in 1 2 3; do
	qy-match -r "$TMP/r.tsv" -p "$TMP/p.tsv" --as-of 2024-06-30 --explain "$TMP/d.tsv" > "$TMP/m$i"
	echo "status $?"
done
cmp "$TMP/m1" "$TMP/m2" && cmp "$TMP/m1" "$TMP/m3" && echo "identical"
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ q = $c["quantity"] == "" ? 1 : $c["quantity"]; want += q; n++ }
	END { print n, "demands," , want, "units" > "/dev/stderr"; print want }' "$TMP/d.tsv" > "$TMP/want" 2>/dev/null
awk -F'\t' 'NR > 1 { got += $4 } END { print got }' "$TMP/m1" > "$TMP/got"
cmp -s "$TMP/want" "$TMP/got" && echo "units add up"
