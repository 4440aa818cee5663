/* test_kwindex.c — the literal-alternation index against PCRE2 itself.
 *
 *  - random patterns over a small alphabet (ASCII letters in both cases,
 *    CJK, full-width letters, Kelvin sign, long s, '|', metacharacters)
 *    against random texts: for every (pattern, text) pair the index's
 *    answer equals qy_rx_match's, for the patterns it accepts;
 *  - the caseless facts the index relies on, asked of PCRE2 over every
 *    code point: which characters fold onto ASCII, and that the CJK
 *    ranges it accepts have no case variants;
 *  - the largest literal alternations that compile never hit PCRE2's
 *    limits on a long text. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "kwindex.h"
#include "rx.h"

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static int
pick(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

static void
put_cp(struct qy_buf *b, uint32_t c)
{
	char u[4];
	int n;
	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3F));
		u[2] = (char)(0x80 | (c >> 6 & 0x3F));
		u[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	qy_buf_add(b, u, (size_t)n);
}

/* Few characters, so that alternatives really occur in texts; with the
 * case traps: k/K/U+212A, s/S/U+017F, a/A/full-width Ａ/ａ. */
static const uint32_t alphabet[] = {'a',    'A',    'b',    'k',    'K',    's',    'S',
				    0x212A, 0x17F,  0x4E00, 0x52A9, 0x9910, 0x3001, 0xFF21,
				    0xFF41, 0xFF01, 0xE9,   ' ',    '#'};
/* What an office would write: no character the index refuses. */
static const uint32_t plain[] = {'a',	 'A',	 'b',	 'k',	 'K',	 's', 'S',
				 0x4E00, 0x52A9, 0x9910, 0x3001, 0xFF01, ' '};
static const char meta[] = "\\.^$[](){}?*+";

static void
random_from(struct qy_buf *b, int maxlen, const uint32_t *chars, int nchars)
{
	int n = pick(maxlen + 1);
	for (int i = 0; i < n; i++)
		put_cp(b, chars[pick(nchars)]);
}

static void
random_text(struct qy_buf *b, int maxlen)
{
	random_from(b, maxlen, alphabet, (int)(sizeof alphabet / sizeof *alphabet));
}

/* Patterns: from the whole alphabet, or (plain) from what offices write. */
static void
random_word(struct qy_buf *b, int maxlen, int plain_only)
{
	if (plain_only)
		random_from(b, maxlen, plain, (int)(sizeof plain / sizeof *plain));
	else
		random_text(b, maxlen);
}

/* Mostly plain classes ([a一K]), sometimes with what makes a class
 * something else: ranges, negation, POSIX syntax, escapes, '|'. */
static void
random_class(struct qy_buf *b, int plain_only)
{
	static const char *const odd[] = {"-", "^", ":", "=", "\\", "|", "]", "["};
	qy_buf_addc(b, '[');
	if (pick(6) == 0)
		qy_buf_adds(b, odd[pick(8)]);
	random_word(b, 3, plain_only);
	if (pick(6) == 0)
		qy_buf_adds(b, odd[pick(8)]);
	random_word(b, 1, plain_only);
	if (pick(10) != 0)
		qy_buf_addc(b, ']');
}

static void
random_pattern(struct qy_buf *b, int plain_only)
{
	int nalt = 1 + pick(3);
	for (int a = 0; a < nalt; a++) {
		if (a > 0)
			qy_buf_addc(b, '|');
		random_word(b, a == 0 ? 3 : 2, plain_only);
		if (pick(8) == 0)
			qy_buf_addc(b, meta[pick((int)sizeof meta - 1)]);
		if (pick(4) == 0)
			random_class(b, plain_only);
		random_word(b, 1, plain_only);
	}
}

enum { NPAT = 400, NTEXT = 400 };

static void
random_against_pcre2(int plain_only)
{
	struct qy_buf pat[NPAT], why = {0};
	const char *p[NPAT];
	size_t len[NPAT];
	struct qy_rx *rx[NPAT];
	int literal = 0, classes = 0, both = 0, mismatches = 0, matched = 0;
	for (int i = 0; i < NPAT; i++) {
		memset(&pat[i], 0, sizeof pat[i]);
		random_pattern(&pat[i], plain_only);
		p[i] = pat[i].data ? pat[i].data : "";
		len[i] = pat[i].len;
		rx[i] = qy_rx_compile(p[i], len[i], QY_RX_CASELESS, &why);
		literal += qy_kw_literal(p[i], len[i]);
		classes += qy_kw_literal(p[i], len[i]) && memchr(p[i], '[', len[i]) != NULL;
	}
	struct qy_kwindex *ix = qy_kwindex_build(p, len, NPAT);
	struct qy_kwscan *sc = qy_kwscan_new(ix);
	struct qy_rx_scratch *s = qy_rx_scratch_new();
	for (int t = 0; t < NTEXT; t++) {
		struct qy_buf text = {0};
		random_text(&text, t % 4 == 0 ? 40 : 12);
		const char *tx = text.data ? text.data : "";
		qy_kwscan_text(sc, tx, text.len);
		for (int i = 0; i < NPAT; i++) {
			if (!qy_kw_literal(p[i], len[i]))
				continue;
			CHECK(rx[i] != NULL);
			if (rx[i] == NULL)
				continue;
			int in = qy_kwscan_matches(sc, i);
			CHECK(qy_kwscan_matches(sc, i) == in); /* the cached answer */
			int want = qy_rx_match(rx[i], s, tx, text.len) == QY_RX_MATCH;
			mismatches += in != want;
			if (in != want)
				printf("  '%s' on '%s': index %d, PCRE2 %d\n", p[i], tx, in, want);
			matched += want;
			both++;
		}
		qy_buf_free(&text);
	}
	CHECK(mismatches == 0);
	/* the test means something: both paths used, both answers seen */
	CHECK(literal > NPAT / 8 && literal < NPAT && classes >= 10);
	CHECK(matched > both / 20 && matched < both - both / 20);
	printf("  %d literal patterns of %d (%d with classes); %d pairs compared, %d matches\n",
	       literal, NPAT, classes, both, matched);
	qy_kwscan_free(sc);
	qy_rx_scratch_free(s);
	qy_kwindex_free(ix);
	for (int i = 0; i < NPAT; i++) {
		qy_rx_free(rx[i]);
		qy_buf_free(&pat[i]);
	}
	qy_buf_free(&why);
}

static void
test_random_against_pcre2(void)
{
	random_against_pcre2(0);
}

static void
test_random_plain_against_pcre2(void)
{
	random_against_pcre2(1);
}

/* Does caseless pattern match the single character c? */
static int
matches_char(const struct qy_rx *rx, struct qy_rx_scratch *s, uint32_t c)
{
	struct qy_buf b = {0};
	put_cp(&b, c);
	int rc = qy_rx_match(rx, s, b.data, b.len);
	qy_buf_free(&b);
	return rc == QY_RX_MATCH;
}

/* Every code point that caselessly matches some ASCII character is ASCII,
 * U+212A or U+017F; and those two match k and s only. */
static void
test_what_folds_onto_ascii(void)
{
	struct qy_buf why = {0};
	struct qy_rx_scratch *s = qy_rx_scratch_new();
	struct qy_rx *ascii = qy_rx_compile("[\\x{0}-\\x{7F}]", 15, QY_RX_CASELESS, &why);
	CHECK(ascii != NULL);
	int others = 0;
	for (uint32_t c = 0x80; c <= 0x10FFFF; c++) {
		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		if (matches_char(ascii, s, c) && c != 0x212A && c != 0x17F) {
			printf("  U+%04X matches ASCII caselessly\n", (unsigned)c);
			others++;
		}
	}
	CHECK(others == 0);
	for (unsigned a = 0; a < 0x80; a++) {
		char pat[16];
		snprintf(pat, sizeof pat, "\\x{%X}", a);
		struct qy_rx *rx = qy_rx_compile(pat, strlen(pat), QY_RX_CASELESS, &why);
		int lower = a >= 'A' && a <= 'Z' ? (int)a + 32 : (int)a;
		for (unsigned b = 0; b < 0x80; b++) {
			int lb = b >= 'A' && b <= 'Z' ? (int)b + 32 : (int)b;
			CHECK(matches_char(rx, s, b) == (lower == lb));
		}
		CHECK(matches_char(rx, s, 0x212A) == (lower == 'k'));
		CHECK(matches_char(rx, s, 0x17F) == (lower == 's'));
		qy_rx_free(rx);
	}
	qy_rx_free(ascii);
	qy_rx_scratch_free(s);
	qy_buf_free(&why);
}

static const char cjk_class[] = "[\\x{3000}-\\x{303F}\\x{3400}-\\x{4DBF}\\x{4E00}-\\x{9FFF}"
				"\\x{F900}-\\x{FAFF}\\x{FF01}-\\x{FF20}\\x{FF3B}-\\x{FF40}"
				"\\x{FF5B}-\\x{FF60}]";

/* The accepted CJK ranges are closed under PCRE2's caseless matching, and
 * within them a character matches itself only — so they have no case
 * variants at all.  (Checked per character against the class without
 * it: one compile per character, but the class is small.) */
static void
test_cjk_has_no_case(void)
{
	struct qy_buf why = {0};
	struct qy_rx_scratch *s = qy_rx_scratch_new();
	struct qy_rx *cjk = qy_rx_compile(cjk_class, sizeof cjk_class - 1, QY_RX_CASELESS, &why);
	struct qy_rx *exact = qy_rx_compile(cjk_class, sizeof cjk_class - 1, 0, &why);
	CHECK(cjk != NULL && exact != NULL);
	int outside = 0, accepted = 0, variants = 0;
	for (uint32_t c = 0; c <= 0x10FFFF; c++) {
		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		int in = matches_char(exact, s, c);
		outside += matches_char(cjk, s, c) && !in;
		struct qy_buf one = {0};
		put_cp(&one, c);
		accepted += in && qy_kw_literal(one.data, one.len);
		CHECK(!in || qy_kw_literal(one.data, one.len));
		qy_buf_free(&one);
	}
	CHECK(outside == 0);
	CHECK(accepted == 64 + 6592 + 20992 + 512 + 96 - 52); /* the ranges' sizes */
	/* inside: a full-width letter pair would show as a character matched by
	 * a caseless pattern of a different one; every such pair in Unicode
	 * differs by the case offset of its block, so try the usual offsets */
	static const int32_t offsets[] = {32, -32, 1, -1, 48, -48, 16, -16, 26, -26};
	for (uint32_t c = 0x3000; c <= 0xFF60; c++) {
		char pat[16];
		snprintf(pat, sizeof pat, "\\x{%X}", (unsigned)c);
		struct qy_buf one = {0};
		put_cp(&one, c);
		int ok = qy_kw_literal(one.data, one.len);
		qy_buf_free(&one);
		if (!ok)
			continue;
		struct qy_rx *rx = qy_rx_compile(pat, strlen(pat), QY_RX_CASELESS, &why);
		for (size_t k = 0; k < sizeof offsets / sizeof *offsets; k++)
			variants += matches_char(rx, s, (uint32_t)((int32_t)c + offsets[k]));
		qy_rx_free(rx);
	}
	CHECK(variants == 0);
	qy_rx_free(cjk);
	qy_rx_free(exact);
	qy_rx_scratch_free(s);
	qy_buf_free(&why);
}

/* The largest literal alternations that still compile, in the shapes that
 * make PCRE2 work hardest per start position, on a 1 MiB text that
 * matches none: no limit is hit, so the index's no-match is PCRE2's. */
static void
test_no_limits_on_literals(void)
{
	struct qy_buf why = {0}, text = {0};
	struct qy_rx_scratch *s = qy_rx_scratch_new();
	for (int i = 0; i < (1 << 20); i++)
		qy_buf_addc(&text, 'a');
	static const int shapes[][2] = {{1, 30000}, {10, 3000}, {200, 100}, {4000, 1}, {3000, 2}};
	int tried = 0;
	for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
		for (int n = shapes[k][0]; n >= 1; n = n * 9 / 10) {
			struct qy_buf pat = {0};
			for (int a = 0; a < n; a++) {
				if (a > 0)
					qy_buf_addc(&pat, '|');
				for (int i = 0; i < shapes[k][1] * shapes[k][0] / n; i++)
					qy_buf_addc(&pat, 'a');
				qy_buf_printf(&pat, "%dz", a);
			}
			why.len = 0;
			struct qy_rx *rx = qy_rx_compile(pat.data, pat.len, QY_RX_CASELESS, &why);
			if (rx != NULL) {
				CHECK(qy_kw_literal(pat.data, pat.len));
				CHECK(qy_rx_match(rx, s, text.data, text.len) == QY_RX_NOMATCH);
				tried++;
				qy_rx_free(rx);
				qy_buf_free(&pat);
				break; /* the largest that compiles */
			}
			qy_buf_free(&pat);
		}
	}
	CHECK(tried == (int)(sizeof shapes / sizeof *shapes));
	qy_rx_scratch_free(s);
	qy_buf_free(&text);
	qy_buf_free(&why);
}

static void
test_literal_rules(void)
{
	CHECK(qy_kw_literal("助餐|送餐|老年食堂", strlen("助餐|送餐|老年食堂")));
	CHECK(qy_kw_literal("Wifi 维修#1", strlen("Wifi 维修#1")));
	CHECK(qy_kw_literal("a||b", 4));
	CHECK(!qy_kw_literal("a.b", 3));
	CHECK(!qy_kw_literal("(?i)a", 5));
	CHECK(!qy_kw_literal("a+", 2));
	CHECK(!qy_kw_literal("Ａ", strlen("Ａ")));     /* full-width letter */
	CHECK(!qy_kw_literal("café", strlen("café"))); /* é has case */
	CHECK(!qy_kw_literal("\xE5\x8A", 2));	       /* cut UTF-8 */
	CHECK(qy_kw_literal("血[压糖]|体检", strlen("血[压糖]|体检")));
	CHECK(!qy_kw_literal("[a-z]", 5));
	CHECK(!qy_kw_literal("[^a]", 4));
	CHECK(!qy_kw_literal("[]a]", 4));
	CHECK(!qy_kw_literal("[:a:]", 5));
	CHECK(!qy_kw_literal("[a|b]", 5));
	CHECK(!qy_kw_literal("[ab", 3));
	CHECK(!qy_kw_literal("[ab][ab][ab][ab][ab][ab][ab]", 28)); /* 128 words */
	const char *const p[] = {"", "a||b", "KS", "老年|x", "a.b"};
	size_t len[] = {0, 4, 2, strlen("老年|x"), 3};
	struct qy_kwindex *ix = qy_kwindex_build(p, len, 5);
	struct qy_kwscan *sc = qy_kwscan_new(ix);
	qy_kwscan_text(sc, "", 0);
	CHECK(qy_kwscan_matches(sc, 0) && qy_kwscan_matches(sc, 1)); /* empty alternatives */
	CHECK(!qy_kwscan_matches(sc, 2) && !qy_kwscan_matches(sc, 3));
	const char *t = "\xE2\x84\xAA\xC5\xBF 老年X a.b"; /* KELVIN, long s */
	qy_kwscan_text(sc, t, strlen(t));
	CHECK(qy_kwscan_matches(sc, 2) && qy_kwscan_matches(sc, 3));
	CHECK(!qy_kwscan_matches(sc, 4)); /* not indexed: PCRE2's */
	qy_kwscan_text(sc, "老", strlen("老"));
	CHECK(!qy_kwscan_matches(sc, 2) && !qy_kwscan_matches(sc, 3)); /* a new text */
	qy_kwscan_free(sc);
	qy_kwindex_free(ix);
}

int
main(void)
{
	RUN(test_literal_rules);
	RUN(test_random_against_pcre2);
	RUN(test_random_plain_against_pcre2);
	RUN(test_what_folds_onto_ascii);
	RUN(test_cjk_has_no_case);
	RUN(test_no_limits_on_literals);
	return check_report();
}
