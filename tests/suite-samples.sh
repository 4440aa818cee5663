#!/bin/sh
# The committed samples/ are exactly what the generator writes, and the
# generator is deterministic.
set -u
B=${1:?usage: suite-samples.sh BUILD_DIR}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
if sh scripts/make-samples.sh "$B/qy-gen" "$d" > /dev/null 2>&1; then
	for f in samples/*.csv; do
		if cmp -s "$f" "$d/${f#samples/}"; then
			echo "PASS: samples: $f regenerates byte for byte"
		else
			echo "FAIL: samples: $f differs from the generator's output"
		fi
	done
else
	echo "FAIL: samples: make-samples.sh failed"
fi
for t in demand activity; do
	a=$("$B/qy-gen" -t $t --format office --bad 5 --seed 7 | cksum)
	b=$("$B/qy-gen" -t $t --format office --bad 5 --seed 7 | cksum)
	if [ "$a" = "$b" ]; then echo "PASS: samples: qy-gen -t $t is deterministic"
	else echo "FAIL: samples: qy-gen -t $t is not deterministic"; fi
done
"$B/qy-gen" -t demand > /dev/full 2>/dev/null
rc=$?
if [ $rc -eq 2 ]; then echo "PASS: samples: qy-gen > /dev/full exits 2"
else echo "FAIL: samples: qy-gen > /dev/full exited $rc"; fi
