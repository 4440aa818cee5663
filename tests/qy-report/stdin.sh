# The same demands through standard input (lib/tsv.c) and as a file
# (lib/tsv.c range readers) give the same report, problems and all.
qy-report --as-of 2024-06-30 demands.tsv > "$TMP/file.out" 2> "$TMP/file.err"
echo "file: $?"
qy-report --as-of 2024-06-30 < demands.tsv > "$TMP/stdin.out" 2> "$TMP/stdin.err"
echo "stdin: $?"
sed 's|demands\.tsv|<stdin>|' "$TMP/file.out" | cmp - "$TMP/stdin.out" && echo same output
sed 's|demands\.tsv|<stdin>|' "$TMP/file.err" | cmp - "$TMP/stdin.err" && echo same messages
