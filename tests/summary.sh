#!/bin/sh
# Sums the results of the build directories named and prints the closing line.
set -u
p=0; f=0
for B in "$@"; do
	r=$B/test-results
	if [ ! -f "$r" ]; then
		echo "FAIL: no test results in $B"
		f=$((f + 1))
		continue
	fi
	grep '^FAIL: ' "$r" | sed "s|^|$B: |"
	p=$((p + $(grep -c '^PASS: ' "$r")))
	f=$((f + $(grep -c '^FAIL: ' "$r")))
done
echo "$p passed, $f failed"
[ "$f" -eq 0 ] && [ "$p" -gt 0 ]
