#!/bin/sh
# make demo: install what the build needs (if missing), build, and run the
# whole month on samples/ with the same script cron runs.
set -eu
B=${1:-build}
cd "$(dirname "$0")/.."

missing=""
command -v cc >/dev/null 2>&1 || missing="$missing gcc libc6-dev"
command -v make >/dev/null 2>&1 || missing="$missing make"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
[ -f /usr/include/csv.h ] || missing="$missing libcsv-dev"
[ -f /usr/include/pcre2.h ] || missing="$missing libpcre2-dev"
if [ -n "$missing" ]; then
	echo "demo: installing build dependencies:$missing"
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq && apt-get install -y -qq $missing
	elif command -v sudo >/dev/null 2>&1; then
		sudo apt-get update -qq && sudo apt-get install -y -qq $missing
	else
		echo "demo: please install:$missing (as root: apt-get install$missing)" >&2
		exit 2
	fi
fi

make -s B="$B"
out=$(pwd)/out
mkdir -p "$out"
QY_BIN=$(pwd)/$B; export QY_BIN
status=0
sh scripts/qy-monthly 2024-06 samples "$out" || status=$?
echo
echo "demo: the month of 2024-06, from samples/, is in $out/2024-06/"
echo "demo: open $out/2024-06/report.html in a browser; report.csv opens in Excel,"
echo "demo: report.txt is the same for a terminal; data/ holds the TSV, rejects/ the rejected rows"
[ $status -le 1 ] || exit $status
