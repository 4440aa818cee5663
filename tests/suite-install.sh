#!/bin/sh
# make install puts the programs, qy-monthly, the man pages and the default
# rules where they belong, and the installed qy-monthly runs the month with
# the programs beside it.
set -u
B=${1:?usage: suite-install.sh BUILD_DIR}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
pass() { echo "PASS: install: $1"; }
fail() { echo "FAIL: install: $1"; }
if make -s install B="$B" PREFIX=/usr DESTDIR="$d/root" > "$d/log" 2>&1; then
	pass make-install
else
	fail make-install
	cat "$d/log"
	exit 0
fi
missing=""
for f in bin/qy-ingest bin/qy-match bin/qy-score bin/qy-report bin/qy-monthly \
	share/man/man1/qy-ingest.1 share/man/man1/qy-match.1 share/man/man1/qy-score.1 \
	share/man/man1/qy-report.1 share/man/man7/qy.7 share/qy/rules.tsv; do
	[ -f "$d/root/usr/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then pass files; else fail "files (missing:$missing)"; fi
if cmp -s share/rules.tsv "$d/root/usr/share/qy/rules.tsv" &&
	"$d/root/usr/bin/qy-score" --print-rules | cmp -s - share/rules.tsv; then
	pass rules
else
	fail rules
fi
mkdir "$d/reports"
env -u QY_BIN PATH=/usr/bin:/bin "$d/root/usr/bin/qy-monthly" 2024-06 samples "$d/reports" > "$d/monthly.log" 2>&1
rc=$?
if [ $rc -le 1 ] && [ -s "$d/reports/2024-06/report.html" ] &&
	grep -q "$d/root/usr/bin/qy-match" "$d/reports/2024-06/qy-monthly.log"; then
	pass installed-monthly
else
	fail "installed-monthly (exit $rc)"
	tail -5 "$d/monthly.log"
fi
