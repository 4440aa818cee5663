#!/bin/sh
# The public CSV corpora of ../shared/conformance (beside the repository)
# through `qy-ingest -t raw -d , -e utf-8`, stdin to stdout.
#
#   X.expected.tsv        the output must be exactly it, exit 0
#   X.expected-error.txt  the input is invalid: the exit status must not be 0
#   neither               no expectation (see the corpus's DISAGREEMENTS.txt);
#                         the run must still not crash (exit 0, 1 or 2)
#
# Where SPEC 3 asks for more than plain CSV → TSV, the corpus's expectation
# is a known difference, listed below with its reason; such a case asserts
# OUR behaviour instead: the expected output as SPEC 3 changes it, the exit
# status, and the message on stderr.
set -u
B=${1:?usage: suite-conformance.sh BUILD_DIR}
Q=$(cd "$B" && pwd)/qy-ingest
LC_ALL=C; export LC_ALL
ROOT=$(cd "$(dirname "$0")/.." && pwd)/../shared/conformance
if [ ! -d "$ROOT" ]; then
	echo "FAIL: conformance: $ROOT not found (clone shared/ beside the repository)"
	exit 1
fi
ROOT=$(cd "$ROOT" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Known differences: case, reason, then how OUR expectation is derived from
# the corpus's, separated by '#': a filter over X.expected.tsv, the exit
# status, and an extended regular expression every stderr line must match
# ('' = no stderr).
blank='grep -avE "^	*\$"'
ragged='awk -F"	" "NR == 1 { n = NF } NF == n"'
known() {
	case $1 in
	csvkit-examples/bad)
		echo "ragged rows are rejected (exit 1)#$ragged#1#: -: a ragged row: [0-9]+ fields, but the header has 3$" ;;
	csvkit-examples/bad_skip_lines)
		echo "blank rows are skipped, ragged rows rejected#$blank | $ragged#1#: -: a ragged row: [0-9]+ fields, but the header has 3$" ;;
	csvkit-examples/empty)
		echo "a blank line is skipped: no header, so an empty output#$blank#0#" ;;
	csvkit-examples/null_byte)
		echo "a control character (NUL) rejects its row#head -n 1#1#<stdin>:2: a: the control character U\\+0000 in" ;;
	csvkit-examples/test_empty_columns)
		echo "raw names empty header cells column_N; ragged rows are rejected; blank rows skipped#$blank | $ragged | sed '1s/\t\t\$/\tcolumn_4\tcolumn_5/'#1#<stdin>:3: -: a ragged row: 4 fields, but the header has 5$" ;;
	csvkit-examples/test_empty_columns_long_row | csvkit-examples/test_empty_columns_short_row)
		echo "a row of empty fields is blank and skipped (not ragged)#$blank#0#" ;;
	csvkit-examples/test_extra_header)
		echo "ragged rows are rejected (exit 1)#$ragged#1#<stdin>:2: -: a ragged row: 3 fields, but the header has 4$" ;;
	csvkit-examples/test_header_newline)
		echo "control characters (VT, FF) in the header are fatal: no safe name#true#2#<stdin>:1: header cell 1 holds the control character U\\+000B" ;;
	csvkit-examples/test_join_short_rows)
		echo "ragged rows are rejected (exit 1)#$ragged#1#: -: a ragged row: 2 fields, but the header has 3$" ;;
	csvkit-examples/test_skip_lines)
		echo "blank rows (before the header too) are skipped#$blank#0#" ;;
	csvkit-examples/test_utf8_bom)
		echo "a UTF-8 BOM is dropped#sed '1s/^\\xEF\\xBB\\xBF//'#0#" ;;
	tsv-utils-csv2tsv/input1_format1 | tsv-utils-csv2tsv/input1_format2 | tsv-utils-csv2tsv/input1_format3)
		echo "a row of empty fields is blank and skipped#$blank#0#" ;;
	*) return 1 ;;
	esac
}

pass() { echo "PASS: conformance/$1"; }
fail() { echo "FAIL: conformance/$1: $2"; }

for csv in "$ROOT"/*/*.csv; do
	base=${csv%.csv}
	name=$(basename "$(dirname "$csv")")/$(basename "$base")
	"$Q" -t raw -d , -e utf-8 < "$csv" > "$work/out" 2> "$work/err"
	status=$?
	if spec=$(known "$name"); then
		reason=${spec%%#*}; rest=${spec#*#}
		filter=${rest%%#*}; rest=${rest#*#}
		want_status=${rest%%#*}; pattern=${rest#*#}
		eval "$filter" < "$base.expected.tsv" > "$work/want"
		[ "$want_status" = 2 ] && : > "$work/want" # a fatal error leaves stdout empty
		if [ "$status" != "$want_status" ]; then
			fail "$name" "exit $status, want $want_status ($reason)"
		elif ! cmp -s "$work/out" "$work/want"; then
			fail "$name" "output differs from the corpus's as SPEC 3 changes it ($reason)"
			diff "$work/want" "$work/out" | head -10
		elif [ -z "$pattern" ] && [ -s "$work/err" ]; then
			fail "$name" "unexpected stderr: $(head -n 1 "$work/err")"
		elif [ -n "$pattern" ] && { [ ! -s "$work/err" ] || grep -avE "$pattern" "$work/err" | grep -q .; }; then
			fail "$name" "stderr does not match /$pattern/: $(head -n 2 "$work/err")"
		else
			pass "$name"
		fi
	elif [ -f "$base.expected.tsv" ]; then
		if [ "$status" != 0 ]; then
			fail "$name" "exit $status: $(head -n 1 "$work/err")"
		elif ! cmp -s "$work/out" "$base.expected.tsv"; then
			fail "$name" "output differs"
			diff "$base.expected.tsv" "$work/out" | head -10
		else
			pass "$name"
		fi
	elif [ -f "$base.expected-error.txt" ]; then
		if [ "$status" = 0 ]; then
			fail "$name" "an invalid input was accepted"
		elif [ ! -s "$work/err" ]; then
			fail "$name" "exit $status without a message"
		else
			pass "$name"
		fi
	else
		# No expectation: it must end normally, whatever it decides.
		case $status in
		0 | 1 | 2) pass "$name (no expectation; exit $status)" ;;
		*) fail "$name" "exit $status (crashed?)" ;;
		esac
	fi
done
