#!/bin/sh
# The HTML report in a real browser: Debian's chromium, headless, prints the
# report to PDF; poppler's pdfinfo and pdftotext check that it is A4, that
# its page count is sane, and that the title and the key figures are in the
# rendered text (masked, as they must be); chromium's --dump-dom gives the
# DOM as the browser built it, where every chart must have one bar per row
# of its table.  The report is the golden fixtures' (all four sections), and
# the samples' demands when qy-ingest and samples/ are there.
#
# Without chromium (or poppler-utils) the suite prints SKIP lines, which are
# not passes; in CI (CI=true) a missing browser is a failure.
set -u
B=${1:?usage: suite-browser.sh BUILD_DIR}
BIN=$(cd "$B" && pwd)
LC_ALL=C; export LC_ALL
TZ=UTC; export TZ
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
pass() { echo "PASS: browser/$1"; }
fail() { echo "FAIL: browser/$1"; }

chromium=""
for c in chromium chromium-browser; do
	command -v "$c" > /dev/null 2>&1 && { chromium=$c; break; }
done
if [ -z "$chromium" ] || ! command -v pdftotext > /dev/null 2>&1 ||
	! command -v pdfinfo > /dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then
		fail "chromium-and-poppler-installed"
	else
		echo "SKIP: browser (chromium or poppler-utils missing: apt-get install chromium poppler-utils)"
	fi
	exit 0
fi

browse() { # browse OUT-FLAG URL: one headless run, its own profile, nothing fetched
	timeout 180 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$(mktemp -d "$work/profile.XXXXXX")" \
		--no-pdf-header-footer "$@" 2> /dev/null
}

fixtures=tests/qy-report
"$BIN/qy-report" -f html --as-of 2024-06-30 --title "玄武区6月社区服务报告" \
	"$fixtures/demands.tsv" "$fixtures/match.tsv" "$fixtures/member-scores.tsv" \
	"$fixtures/branch-scores.tsv" > "$work/r.html" 2> /dev/null
"$BIN/qy-report" -f tsv --as-of 2024-06-30 \
	"$fixtures/demands.tsv" "$fixtures/match.tsv" "$fixtures/member-scores.tsv" \
	"$fixtures/branch-scores.tsv" > "$work/r.tsv" 2> /dev/null

# Self-contained: no script, nothing fetched, A4 print size.
if grep -qi '<script' "$work/r.html" ||
	grep -Eio '(src|href)=|url\(|@import' "$work/r.html" | grep -q . ||
	! grep -q '@page { size: A4' "$work/r.html"; then
	fail self-contained
else
	pass self-contained
fi

browse --print-to-pdf="$work/r.pdf" "file://$work/r.html"
if [ -s "$work/r.pdf" ]; then pass print-to-pdf; else fail print-to-pdf; fi
pages=$(pdfinfo "$work/r.pdf" 2> /dev/null | awk '/^Pages:/ { print $2 }')
size=$(pdfinfo "$work/r.pdf" 2> /dev/null | awk '/^Page size:/ { printf "%d x %d", $3, $5 }')
if [ "${pages:-0}" -ge 2 ] && [ "${pages:-0}" -le 10 ]; then pass page-count; else fail page-count; echo "  pages: ${pages:-none}"; fi
if [ "$size" = "594 x 841" ] || [ "$size" = "595 x 842" ]; then pass a4; else fail a4; echo "  size: $size"; fi

pdftotext -layout "$work/r.pdf" "$work/r.txt" 2> /dev/null
# The title and the key figures, as the reader sees them.
missing=""
for want in "玄武区6月社区服务报告" "需求办理情况" "办结率" "50.0%" "63.6%" "吹哨报到" \
	"资源已用完" "67.58" "后进" "南京路社区党支部" "李*" "139****1111" "张*"; do
	grep -qF "$want" "$work/r.txt" || missing="$missing '$want'"
done
if [ -z "$missing" ]; then pass rendered-text; else fail rendered-text; echo "  not in the PDF:$missing"; fi
# …and nothing personal unmasked.
if grep -qE '13900001111|李四|张三' "$work/r.txt"; then fail rendered-masked; else pass rendered-masked; fi

# One bar per row in every chart, as the browser built the DOM.
browse --dump-dom "file://$work/r.html" > "$work/dom.html"
# section id → bars in the chart under its <h3>
tr '\n' ' ' < "$work/dom.html" | sed 's/<h3 id="/\n/g' | awk -F'"' 'NR > 1 {
	n = gsub(/<rect class="bar"/, "&"); if (n > 0) print $1 "\t" n }' | sort > "$work/bars"
# section id → its data rows in the TSV report, less a total row
awk -F'\t' '$1 != "section" && $1 != "" && $2 != "total" { n[$1]++ } END { for (s in n) print s "\t" n[s] }' \
	"$work/r.tsv" | sort > "$work/rows"
charts=$(wc -l < "$work/bars")
bad=$(join -t '	' "$work/bars" "$work/rows" | awk -F'\t' '$2 != $3' | wc -l)
if [ "$charts" -ge 10 ] && [ "$bad" -eq 0 ] && [ "$(join -t '	' -v 1 "$work/bars" "$work/rows" | wc -l)" -eq 0 ]; then
	pass chart-bars
else
	fail chart-bars
	echo "  charts: $charts, mismatched: $bad"
	join -t '	' -a 1 "$work/bars" "$work/rows" | sed 's/^/  /'
fi
# The bar lengths follow the data: in the category ranking each bar is no
# longer than the one above it.
tr '\n' ' ' < "$work/dom.html" | sed 's/<h3 id="/\n/g' | grep '^needs_by_category"' |
	grep -o '<rect class="bar"[^>]*width="[0-9]*"' | sed 's/.*width="//; s/"//' > "$work/widths"
if [ "$(wc -l < "$work/widths")" -eq 6 ] && sort -rn "$work/widths" | cmp -s - "$work/widths" &&
	[ "$(head -1 "$work/widths")" -gt "$(tail -1 "$work/widths")" ]; then
	pass chart-lengths
else
	fail chart-lengths
fi

# A screenshot renders too (docs/report.png is made this way).
browse --hide-scrollbars --window-size=1000,1400 --screenshot="$work/r.png" "file://$work/r.html"
if [ -s "$work/r.png" ]; then pass screenshot; else fail screenshot; fi

# The samples' demands, through qy-ingest, when both are there.
if [ -x "$BIN/qy-ingest" ] && [ -f samples/需求清单_2024-06.csv ]; then
	"$BIN/qy-ingest" -t demand samples/需求清单_2024-06.csv > "$work/d.tsv" 2> /dev/null
	"$BIN/qy-report" -f html --as-of 2024-06-30 --month 2024-06 "$work/d.tsv" > "$work/s.html"
	browse --print-to-pdf="$work/s.pdf" "file://$work/s.html"
	pdftotext -layout "$work/s.pdf" "$work/s.txt" 2> /dev/null
	total=$("$BIN/qy-report" --as-of 2024-06-30 --month 2024-06 "$work/d.tsv" |
		awk -F'\t' '$1 == "demands" && $2 == "total" { print $3 }')
	if grep -qF "2024年6月社区服务工作报告" "$work/s.txt" && [ -n "$total" ] &&
		grep -qF "$total" "$work/s.txt"; then
		pass sample-report
	else
		fail sample-report
	fi
else
	echo "SKIP: browser/sample-report (no qy-ingest or samples/)"
fi
