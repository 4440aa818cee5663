# --by priority checks the priority column (and only then): a bad one is
# reported and the row skipped; 紧急 groups with urgent.
cp demands.tsv "$TMP/d.tsv"
printf 'P1\t2024-06-03\t玄武区\t新街口街道\t华侨路社区\t\tgov\t加急办理\t加急\t1\t\t\t\topen\t\t\t\n' >> "$TMP/d.tsv"
printf 'P2\t2024-06-03\t玄武区\t新街口街道\t华侨路社区\t\tgov\t急\t紧急\t1\t\t\t\topen\t\t\t\n' >> "$TMP/d.tsv"
cd "$TMP" || exit 1
qy-report --by priority --as-of 2024-06-30 d.tsv | awk -F'\t' '$1 == "demands"' | cut -f1-4
qy-report --as-of 2024-06-30 d.tsv 2>&1 >/dev/null | grep -c 'priority'
