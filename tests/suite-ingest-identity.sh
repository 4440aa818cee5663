#!/bin/sh
# qy-ingest's fast path must give byte for byte what libcsv alone gives
# (--no-fast-path), and the reader thread what one thread gives: stdout,
# stderr, the rejects file and the exit status, on every golden test input,
# every conformance input, generated office exports, and random inputs.
set -u
B=${1:?usage: suite-ingest-identity.sh BUILD_DIR}
BIN=$(cd "$B" && pwd)
Q=$BIN/qy-ingest
LC_ALL=C; export LC_ALL
# Scratch space in the build directory: /tmp is shared with other jobs.
work=$(mktemp -d "$BIN/identity.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$(dirname "$0")/.." || exit 2

# run NAME OUT-PREFIX ARGS... < input: everything the run says, in one file.
run() {
	out=$1; shift
	"$Q" "$@" -r "$out.rej" > "$out.out" 2> "$out.err"
	echo "exit $?" >> "$out.out"
	[ -f "$out.rej" ] && cat "$out.rej" >> "$out.out"
	cat "$out.err" >> "$out.out"
	rm -f "$out.rej" "$out.err"
}

# same NAME INPUT ARGS...: the three ways must agree.
same() {
	name=$1 input=$2; shift 2
	run "$work/a" "$@" --threads 2 < "$input"
	run "$work/b" "$@" --threads 2 --no-fast-path < "$input"
	run "$work/c" "$@" --threads 1 < "$input"
	if ! cmp -s "$work/a.out" "$work/b.out"; then
		echo "FAIL: identity/$name: the fast path and libcsv differ"
		diff "$work/b.out" "$work/a.out" | head -5
		return 1
	elif ! cmp -s "$work/a.out" "$work/c.out"; then
		echo "FAIL: identity/$name: one thread and two differ"
		diff "$work/c.out" "$work/a.out" | head -5
		return 1
	fi
	return 0
}

# Every input of the golden tests, as raw and as the type it was meant for.
ok=1
for in in tests/qy-ingest/*.in tests/qy-ingest/*.csv; do
	[ -f "$in" ] || continue
	[ $ok = 1 ] || break
	same "$in raw" "$in" -t raw || ok=0
	type=raw
	case $(basename "$in") in
	demand*) type=demand ;; resource*) type=resource ;; pair*) type=pair ;;
	member*) type=member ;; branch*) type=branch ;; activity*) type=activity ;;
	esac
	[ $type = raw ] || same "$in $type" "$in" -t "$type" || ok=0
done
[ $ok = 1 ] && echo "PASS: identity/golden inputs"

ok=1
conf=../shared/conformance
if [ -d "$conf" ]; then
	for in in "$conf"/*/*.csv; do
		[ $ok = 1 ] || break
		same "$in" "$in" -t raw || ok=0
		same "$in utf-8 ," "$in" -t raw -e utf-8 -d , || ok=0
	done
	[ $ok = 1 ] && echo "PASS: identity/conformance inputs"
else
	echo "FAIL: identity/conformance inputs: $conf not found"
fi

# Generated office exports (quotes, CRLF, bad rows), big enough for many
# batches and buffer refills.
ok=1
for type in demand resource member activity; do
	"$BIN/qy-gen" -t "$type" -n 20000 --format office --bad 300 --seed 7 > "$work/gen.csv"
	same "qy-gen $type" "$work/gen.csv" -t "$type" || ok=0
	same "qy-gen $type raw" "$work/gen.csv" -t raw || ok=0
done
[ $ok = 1 ] && echo "PASS: identity/generated exports"

# The same export in GB18030 (found by -e auto) gives the same bytes out.
"$BIN/qy-gen" -t demand -n 20000 --format office --bad 300 --seed 9 > "$work/u8.csv"
iconv -f UTF-8 -t GB18030 < "$work/u8.csv" > "$work/gb.csv"
run "$work/u" -t demand < "$work/u8.csv"
run "$work/g" -t demand < "$work/gb.csv"
if cmp -s "$work/u.out" "$work/g.out"; then
	echo "PASS: identity/GB18030 export as its UTF-8 original"
else
	echo "FAIL: identity/GB18030 export as its UTF-8 original"
	diff "$work/u.out" "$work/g.out" | head -5
fi

# Random inputs from the bytes that matter, one file each; then all of them
# in one input, where a stray quote swallows what follows.
awk -v dir="$work" 'BEGIN {
	srand(20240601)
	n = split("a|b|,|;|\"|\"\"|\r|\n|\r\n|\t| |中|\377|\\|x,y|,,|\"a\",|\"\r\n\"", piece, "|")
	for (f = 0; f < 400; f++) {
		file = sprintf("%s/rand.%03d.csv", dir, f)
		printf "h1,h2;h3\th4\n" > file
		len = int(rand() * 120)
		for (k = 0; k < len; k++) {
			r = rand()
			printf "%s", (r < 0.55 ? piece[int(rand() * n) + 1] : (r < 0.8 ? "z" : ",")) > file
		}
		close(file)
	}
}'
ok=1
nfiles=$(ls "$work" | grep -c '^rand\.')
for f in "$work"/rand.*.csv; do
	# One failure is enough to look at; more would flood the log.
	[ $ok = 1 ] || break
	same "random $(basename "$f")" "$f" -t raw || ok=0
done
if [ $nfiles != 400 ]; then
	echo "FAIL: identity/random inputs: $nfiles of 400 generated"
	ok=2
fi
cat "$work"/rand.*.csv > "$work/all.csv"
same "random, all in one" "$work/all.csv" -t raw || ok=0
[ $ok = 1 ] && echo "PASS: identity/400 random inputs"

# Memory does not grow with the input: peak RSS streaming ~200 MB is that of
# ~20 MB (raw: no id set; the sanitizer build is skipped, its RSS is not ours).
if [ "${QY_SAN:-}" = 1 ]; then
	echo "SKIP: memory/flat RSS (under the sanitizers)"
	exit 0
fi
if [ ! -x /usr/bin/time ] && [ "${CI:-}" = true ]; then
	echo "FAIL: memory/flat RSS: no /usr/bin/time (CI installs the time package)"
elif [ -x /usr/bin/time ]; then
	for n in 100000 1000000; do
		"$BIN/qy-gen" -t demand -n $n --format csv |
			/usr/bin/time -f %M -o "$work/rss.$n" "$Q" -t raw > /dev/null
	done
	small=$(cat "$work/rss.100000") big=$(cat "$work/rss.1000000")
	# Allow 25% and 4 MB of noise.
	if [ "$big" -le $((small + small / 4 + 4096)) ]; then
		echo "PASS: memory/flat RSS (peak ${small} KB at ~20 MB input, ${big} KB at ~200 MB)"
	else
		echo "FAIL: memory/flat RSS: peak ${small} KB at ~20 MB input, ${big} KB at ~200 MB"
	fi
else
	echo "SKIP: memory/flat RSS (no /usr/bin/time: apt-get install time)"
fi
