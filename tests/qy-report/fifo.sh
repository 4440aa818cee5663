# A named pipe on the command line is read as a stream (not split in two).
mkfifo "$TMP/d.fifo"
cat demands.tsv > "$TMP/d.fifo" &
qy-report --as-of 2024-06-30 "$TMP/d.fifo" 2> /dev/null | awk -F'\t' '$1 == "demands"'
wait
