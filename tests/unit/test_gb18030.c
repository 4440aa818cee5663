/* test_gb18030.c — the table-driven GB18030 decoder against iconv itself. */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "enc.h"
#include "gb18030.h"

/* The reference: qy_gb18030_decode as it was before the table, iconv over
 * the whole field with one U+FFFD per rejected byte. */
static int
iconv_append(iconv_t cd, char **in, size_t *inleft, struct qy_buf *out)
{
	for (;;) {
		qy_buf_grow(out, *inleft * 2 + 8);
		char *o = out->data + out->len;
		size_t oleft = out->cap - out->len - 1;
		size_t r = iconv(cd, in, inleft, &o, &oleft);
		int err = errno;
		out->len = (size_t)(o - out->data);
		out->data[out->len] = '\0';
		if (r != (size_t)-1)
			return 0;
		if (err != E2BIG)
			return err;
	}
}

static int
reference_decode(iconv_t cd, const char *p, size_t n, struct qy_buf *out, size_t *bad)
{
	if (qy_ascii_only(p, n)) {
		qy_buf_add(out, p, n);
		return 0;
	}
	char *in = (char *)p;
	size_t inleft = n;
	int clean = 1;
	while (inleft > 0) {
		if (iconv_append(cd, &in, &inleft, out) == 0)
			break;
		if (clean && bad != NULL)
			*bad = (size_t)(in - p);
		clean = 0;
		qy_buf_add(out, "\xEF\xBF\xBD", 3);
		in++;
		inleft--;
	}
	iconv(cd, NULL, NULL, NULL, NULL);
	return clean ? 0 : -1;
}

static iconv_t
open_reference(void)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	CHECK(cd != (iconv_t)-1);
	return cd;
}

static int
is_trail(unsigned t)
{
	return (t >= 0x40 && t <= 0x7E) || (t >= 0x80 && t <= 0xFE);
}

/* Every two-byte code: the table's entry and the decoder's answer are
 * iconv's, and the table holds (nearly) all of them, so it is what runs. */
static void
test_every_pair(void)
{
	iconv_t cd = open_reference();
	uint32_t *pairs = qy_gb18030_pairs_new(cd);
	struct qy_gb18030 g;
	CHECK(qy_gb18030_open(&g) == 0);
	struct qy_buf want = {0}, got = {0};
	size_t held = 0, mismatches = 0;
	for (unsigned l = 0x81; l <= 0xFE; l++) {
		for (unsigned t = 0x40; t <= 0xFE; t++) {
			if (!is_trail(t))
				continue;
			char code[2] = {(char)l, (char)t};
			size_t bad_want = 7, bad_got = 7;
			qy_buf_reset(&want);
			qy_buf_reset(&got);
			int rw = reference_decode(cd, code, 2, &want, &bad_want);
			int rg = qy_gb18030_decode(&g, code, 2, &got, &bad_got);
			uint32_t e = pairs[(l - QY_GB_LEAD0) * QY_GB_TRAILS + (t - QY_GB_TRAIL0)];
			held += e != 0;
			if (e != 0 &&
			    (rw != 0 || want.len < 2 || memcmp(&e, want.data, want.len) != 0))
				mismatches++;
			if (rw != rg || bad_want != bad_got || want.len != got.len ||
			    memcmp(want.data, got.data, want.len) != 0)
				mismatches++;
		}
	}
	CHECK(mismatches == 0);
	/* 23,940 codes; glibc decodes them all to one character each. */
	CHECK(held > 23000);
	printf("  %zu of 23940 two-byte codes in the table\n", held);
	qy_buf_free(&want);
	qy_buf_free(&got);
	qy_gb18030_close(&g);
	free(pairs);
	iconv_close(cd);
}

/* A small deterministic generator (xorshift64*). */
static uint64_t
next_random(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * UINT64_C(0x2545F4914F6CDD1D);
}

static unsigned
pick(uint64_t *rng, unsigned lo, unsigned hi)
{
	return lo + (unsigned)(next_random(rng) % (hi - lo + 1));
}

/* Appends one piece of test input: ASCII (NUL and controls too), a valid
 * two-byte code, a four-byte code in or out of range, a code cut short, or
 * a byte that is no GB18030 at all. */
static void
add_piece(struct qy_buf *b, uint64_t *rng)
{
	unsigned lead = pick(rng, 0x81, 0xFE);
	switch (pick(rng, 0, 9)) {
	case 0:
	case 1:
		qy_buf_addc(b, (char)pick(rng, 0x00, 0x7F));
		break;
	case 2:
	case 3: {
		unsigned t = pick(rng, 0x40, 0xFE);
		qy_buf_addc(b, (char)lead);
		qy_buf_addc(b, (char)(t == 0x7F ? 0x80 : t));
		break;
	}
	case 4: /* four bytes: 0x81..0x84 the BMP, 0x90..0xE3 beyond, else unassigned */
		qy_buf_addc(b, (char)(pick(rng, 0, 1) ? pick(rng, 0x81, 0x84) : lead));
		qy_buf_addc(b, (char)pick(rng, 0x30, 0x39));
		qy_buf_addc(b, (char)pick(rng, 0x81, 0xFE));
		qy_buf_addc(b, (char)pick(rng, 0x30, 0x39));
		break;
	case 5: /* supplementary planes */
		qy_buf_addc(b, (char)pick(rng, 0x90, 0xE3));
		qy_buf_addc(b, (char)pick(rng, 0x30, 0x39));
		qy_buf_addc(b, (char)pick(rng, 0x81, 0xFE));
		qy_buf_addc(b, (char)pick(rng, 0x30, 0x39));
		break;
	case 6: /* a lead byte alone, or with the start of a four-byte code */
		qy_buf_addc(b, (char)lead);
		if (pick(rng, 0, 1))
			qy_buf_addc(b, (char)pick(rng, 0x30, 0x39));
		if (pick(rng, 0, 1))
			qy_buf_addc(b, (char)pick(rng, 0x81, 0xFE));
		break;
	case 7: /* a lead byte and a byte that is no trail */
		qy_buf_addc(b, (char)lead);
		qy_buf_addc(b, (char)(pick(rng, 0, 1) ? 0x7F : pick(rng, 0x00, 0x3F)));
		break;
	case 8:
		qy_buf_addc(b, (char)(pick(rng, 0, 1) ? 0x80 : 0xFF));
		break;
	default:
		qy_buf_addc(b, (char)pick(rng, 0x00, 0xFF));
		break;
	}
}

/* Compares the decoder with the reference on p, appending to a buffer
 * that already holds something.  Returns 1 when they agree. */
static int
agrees(struct qy_gb18030 *g, iconv_t cd, const char *p, size_t n, struct qy_buf *want,
       struct qy_buf *got)
{
	size_t bad_want = 12345, bad_got = 12345;
	qy_buf_reset(want);
	qy_buf_reset(got);
	qy_buf_adds(want, "x,");
	qy_buf_adds(got, "x,");
	int rw = reference_decode(cd, p, n, want, &bad_want);
	int rg = qy_gb18030_decode(g, p, n, got, &bad_got);
	int ok = rw == rg && bad_want == bad_got && want->len == got->len &&
		 memcmp(want->data, got->data, want->len + 1) == 0;
	if (!ok) {
		printf("  differs on:");
		for (size_t i = 0; i < n; i++)
			printf(" %02X", (unsigned char)p[i]);
		printf(" (return %d/%d, bad %zu/%zu)\n", rw, rg, bad_want, bad_got);
	}
	return ok;
}

/* Random fields of every kind of piece: same bytes, same U+FFFDs, same
 * first bad offset, same return as iconv over the whole field. */
static void
test_random_fields(void)
{
	iconv_t cd = open_reference();
	struct qy_gb18030 g;
	CHECK(qy_gb18030_open(&g) == 0);
	struct qy_buf in = {0}, want = {0}, got = {0};
	uint64_t rng = UINT64_C(0x9E3779B97F4A7C15);
	int failures = 0;
	for (int k = 0; k < 100000 && failures < 5; k++) {
		qy_buf_reset(&in);
		unsigned pieces = pick(&rng, 0, 12);
		for (unsigned j = 0; j < pieces; j++)
			add_piece(&in, &rng);
		if (!agrees(&g, cd, in.data, in.len, &want, &got))
			failures++;
		/* Every prefix too: fields ending inside a code. */
		for (size_t cut = 0; cut < in.len && failures < 5 && k % 16 == 0; cut++)
			if (!agrees(&g, cd, in.data, cut, &want, &got))
				failures++;
	}
	CHECK(failures == 0);
	qy_buf_free(&in);
	qy_buf_free(&want);
	qy_buf_free(&got);
	qy_gb18030_close(&g);
	iconv_close(cd);
}

/* Cases spelled out: what a reader of a failure can check by hand. */
static void
test_known_fields(void)
{
	iconv_t cd = open_reference();
	struct qy_gb18030 g;
	CHECK(qy_gb18030_open(&g) == 0);
	struct qy_buf want = {0}, got = {0};
	static const struct {
		const char *p;
		size_t n;
	} cases[] = {
	    {"", 0},
	    {"plain ascii, long enough for words", 34},
	    {"\xD6\xD0\xCE\xC4", 4},	     /* 中文 */
	    {"ab\xD6\xD0\xCE", 5},	     /* cut after a lead */
	    {"\x81\x30\x81\x30\xD6\xD0", 6}, /* U+0080 then 中 */
	    {"\x95\x32\x82\x36z", 5},	     /* U+20000 */
	    {"\x84\x31\xA5\x30", 4},	     /* beyond the BMP part */
	    {"\xD6\x30\xD6\xD0", 4},	     /* a four-byte start, broken */
	    {"\x81\x30\x81", 3},	     /* cut inside four bytes */
	    {"\x95\x32\x82\x36\xFE\x39\xFE\x39\x95\x32\x82\x36", 12}, /* a bad one amid a run */
	    {"\x81\x30\x81\x30\x84\x31\xA5\x30\x81\x30", 10},	      /* and a run cut short */
	    {"\x80\xFF\x81\x7F\x81\x20", 6},			      /* no GB18030 at all */
	    {"\xA2\xE3\xFE\x51\xFE\x50", 6},			      /* € and two 2022 changes */
	    {"12345678\xD6\xD0"
	     "12345678\xD6",
	     19}, /* words then codes */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK(agrees(&g, cd, cases[i].p, cases[i].n, &want, &got));
	size_t bad = 0;
	qy_buf_reset(&got);
	CHECK(qy_gb18030_decode(&g, "ab\xD6\xD0\x80", 5, &got, &bad) == -1 && bad == 4);
	CHECK_STR(got.data, "ab\xE4\xB8\xAD\xEF\xBF\xBD");
	qy_buf_free(&want);
	qy_buf_free(&got);
	qy_gb18030_close(&g);
	iconv_close(cd);
}

int
main(void)
{
	RUN(test_every_pair);
	RUN(test_known_fields);
	RUN(test_random_fields);
	return check_report();
}
