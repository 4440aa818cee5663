#!/bin/sh
# Golden-file tests: tests/<program>/NAME.{args,sh} with NAME.in (stdin, if
# present), NAME.out, NAME.err and NAME.status (0 when absent).
#   NAME.args  the program's arguments (shell words), run in tests/<program>/
#   NAME.sh    a shell script instead, run in tests/<program>/ with the
#              programs on PATH and $TMP a fresh directory of its own
# Prints one PASS:/FAIL: line a case, and a diff for a failure.
set -u
B=${1:?usage: suite-golden.sh BUILD_DIR}
BIN=$(cd "$B" && pwd)
LC_ALL=C; export LC_ALL
TZ=UTC; export TZ
PATH=$BIN:$PATH; export PATH
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for dir in tests/qy-*/; do
	prog=$(basename "$dir")
	for spec in "$dir"*.args "$dir"*.sh; do
		[ -f "$spec" ] || continue
		name=${spec%.*}
		case=$(basename "$name")
		TMP=$work/$prog.$case; export TMP
		mkdir -p "$TMP"
		in=/dev/null
		[ -f "$name.in" ] && in=$case.in
		(
			cd "$dir" || exit 99
			if [ "${spec##*.}" = args ]; then
				eval "set -- $(cat "$case.args")"
				"$BIN/$prog" "$@" < "$in"
			else
				sh "$case.sh" < "$in"
			fi
		) > "$TMP/out" 2> "$TMP/err"
		echo $? > "$TMP/status"
		want_status=0
		[ -f "$name.status" ] && want_status=$(cat "$name.status")
		ok=1
		[ "$(cat "$TMP/status")" = "$want_status" ] || { ok=0; echo "  status $(cat "$TMP/status"), want $want_status"; }
		if [ -f "$name.out" ]; then
			cmp -s "$TMP/out" "$name.out" || { ok=0; diff "$name.out" "$TMP/out" | head -20; }
		fi
		if [ -f "$name.err" ]; then
			cmp -s "$TMP/err" "$name.err" || { ok=0; diff "$name.err" "$TMP/err" | head -20; }
		fi
		if [ $ok = 1 ]; then echo "PASS: $prog/$case"; else echo "FAIL: $prog/$case"; fi
	done
done
