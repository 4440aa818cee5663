#!/bin/sh
# Runs every suite against the programs in build directory $1 and writes
# their PASS/FAIL lines to $1/test-results.  Never fails itself: summary.sh
# judges.  Suites: the unit test binaries in $1/tests/, then every
# tests/suite-*.sh (each takes the build directory and prints PASS:/FAIL: lines).
set -u
B=${1:?usage: run-all.sh BUILD_DIR}
LC_ALL=C; export LC_ALL
TZ=UTC; export TZ
results=$B/test-results
: > "$results"
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	echo "== $t"
	"$t" > "$B/unit.log" 2>&1
	rc=$?
	cat "$B/unit.log"
	grep -E '^(PASS|FAIL): ' "$B/unit.log" >> "$results"
	if [ $rc -ne 0 ] && ! grep -q '^FAIL: ' "$B/unit.log"; then
		echo "FAIL: $t exited $rc" | tee -a "$results"
	fi
done
for s in tests/suite-*.sh; do
	[ -f "$s" ] || continue
	echo "== $s"
	sh "$s" "$B" > "$B/suite.log" 2>&1
	rc=$?
	grep -vE '^PASS: ' "$B/suite.log"
	grep -E '^(PASS|FAIL): ' "$B/suite.log" >> "$results"
	if [ $rc -ne 0 ] && ! grep -q '^FAIL: ' "$B/suite.log"; then
		echo "FAIL: $s exited $rc" | tee -a "$results"
	fi
done
p=$(grep -c '^PASS: ' "$results")
f=$(grep -c '^FAIL: ' "$results")
echo "$B: $p passed, $f failed"
exit 0
