#!/bin/sh
# make-samples.sh — regenerate samples/: one district month (2024-06) exported
# from spreadsheets the way offices send it (see samples/README.md).
#
#   sh scripts/make-samples.sh QY_GEN [OUTDIR]
#
# QY_GEN is the path of a built qy-gen (this script builds nothing); OUTDIR
# defaults to the samples/ directory next to this script.  Needs iconv(1).
# Prints each file written and the lines made bad on purpose.
set -eu

usage="usage: make-samples.sh QY_GEN [OUTDIR]"
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "$usage" >&2
	exit 2
fi
gen=$1
out=${2:-$(dirname "$0")/../samples}
[ -x "$gen" ] || { echo "make-samples: $gen: not an executable qy-gen" >&2; exit 2; }
[ -d "$out" ] || { echo "make-samples: $out: no such directory" >&2; exit 2; }

# The one world every file comes from.
world="--preset district --seed 1 --month 2024-06 --format office"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qy-samples.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# sample FILE TYPE BAD ENCODING: ENCODING is gb18030, utf-8 or utf-8-bom.
sample() {
	file=$1 type=$2 bad=$3 enc=$4
	bom=
	[ "$enc" = utf-8-bom ] && bom=--bom
	# $world and $bom are word-split on purpose
	# shellcheck disable=SC2086
	"$gen" -t "$type" $world $bom --bad "$bad" --bad-list \
		>"$tmp/utf8.csv" 2>"$tmp/bad.txt"
	if [ "$enc" = gb18030 ]; then
		iconv -f UTF-8 -t GB18030 "$tmp/utf8.csv" >"$tmp/out.csv"
	else
		mv "$tmp/utf8.csv" "$tmp/out.csv"
	fi
	mv "$tmp/out.csv" "$out/$file"
	echo "$file: $type, $enc, CRLF, $(wc -c <"$out/$file" | tr -d ' ') bytes"
	sed 's/^qy-gen: /  bad /' "$tmp/bad.txt"
}

sample 需求清单_2024-06.csv   demand   10 gb18030
sample 资源清单_2024-06.csv   resource  5 utf-8-bom
sample 结对共建.csv           pair      1 gb18030
sample 党员名册.csv           member    4 utf-8
sample 党支部名册.csv         branch    2 gb18030
sample 活动积分_2024-06.csv   activity  8 utf-8-bom
