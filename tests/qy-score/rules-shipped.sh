# The compiled-in rules and share/rules.tsv are the same table, and a
# printed table reads back unchanged.
qy-score --print-rules > "$TMP/builtin.tsv"
cmp "$TMP/builtin.tsv" ../../share/rules.tsv && echo "built-in = share/rules.tsv"
qy-score -R ../../share/rules.tsv --print-rules | cmp - "$TMP/builtin.tsv" && echo "round trip"
qy-score -R rules-custom.tsv --print-rules > "$TMP/custom.tsv"
qy-score -R "$TMP/custom.tsv" --print-rules | cmp - "$TMP/custom.tsv" && echo "custom round trip"
# the shipped table gives the same scores as the built-in one
qy-score --level branch --month 2024-06 -m members.tsv -b branches.tsv -d demands.tsv act.tsv > "$TMP/a"
qy-score --level branch --month 2024-06 -R ../../share/rules.tsv -m members.tsv -b branches.tsv -d demands.tsv act.tsv > "$TMP/b"
cmp "$TMP/a" "$TMP/b" && echo "same scores"
