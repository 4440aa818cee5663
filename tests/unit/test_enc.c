/* test_enc.c — encoding sniffing, UTF-8 checks, GB18030 and UTF-16. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "enc.h"

static enum qy_enc
sniff(const char *p, size_t n, size_t *bom)
{
	return qy_enc_sniff(p, n, bom);
}

static void
test_sniff(void)
{
	size_t bom = 99;
	CHECK(sniff("a,b\n", 4, &bom) == QY_ENC_UTF8 && bom == 0);
	CHECK(sniff("\xEF\xBB\xBF"
		    "a",
		    4, &bom) == QY_ENC_UTF8 &&
	      bom == 3);
	CHECK(sniff("\xFF\xFE"
		    "a\0",
		    4, &bom) == QY_ENC_UTF16LE &&
	      bom == 2);
	CHECK(sniff("\xFE\xFF\0a", 4, &bom) == QY_ENC_UTF16BE && bom == 2);
	CHECK(sniff("\xE4\xB8\xAD\xE6\x96\x87", 6, &bom) == QY_ENC_UTF8); /* 中文 */
	CHECK(sniff("\xD6\xD0\xCE\xC4", 4, &bom) == QY_ENC_GB18030);	  /* 中文 in GB18030 */
	/* An incomplete character at the end of the sample is ignored … */
	CHECK(sniff("ab\xE4\xB8", 4, &bom) == QY_ENC_UTF8);
	CHECK(sniff("ab\xF0\x9F\x98", 5, &bom) == QY_ENC_UTF8);
	/* … but not an invalid one, nor one cut before the end. */
	CHECK(sniff("ab\xE4x", 4, &bom) == QY_ENC_GB18030);
	CHECK(sniff("ab\xE4\xB8x", 5, &bom) == QY_ENC_GB18030);
	CHECK(sniff("ab\xFF", 3, &bom) == QY_ENC_GB18030);
	CHECK(sniff("", 0, &bom) == QY_ENC_UTF8);
	CHECK(strcmp(qy_enc_name(QY_ENC_GB18030), "GB18030") == 0);
}

static int
scan(const char *p, size_t n, size_t *off, unsigned *cp)
{
	*off = 999;
	*cp = 999;
	return qy_utf8_scan(p, n, off, cp);
}

static void
test_scan(void)
{
	size_t off;
	unsigned cp;
	CHECK(scan("plain text", 10, &off, &cp) == QY_TEXT_OK);
	CHECK(scan("tab\there\nand\r", 13, &off, &cp) == QY_TEXT_OK);
	CHECK(scan("\xE4\xB8\xAD\xC2\xA0\xF0\x9F\x98\x80", 9, &off, &cp) == QY_TEXT_OK);
	CHECK(scan("a\x0B", 2, &off, &cp) == QY_TEXT_CONTROL && off == 1 && cp == 0x0B);
	CHECK(scan("\0", 1, &off, &cp) == QY_TEXT_CONTROL && off == 0 && cp == 0);
	CHECK(scan("x\x7F", 2, &off, &cp) == QY_TEXT_CONTROL && off == 1 && cp == 0x7F);
	CHECK(scan("a\xC2\x85", 3, &off, &cp) == QY_TEXT_CONTROL && off == 1 && cp == 0x85);
	CHECK(scan("\xC2\x9F", 2, &off, &cp) == QY_TEXT_CONTROL && cp == 0x9F);
	/* After a run of whole 8-byte words. */
	CHECK(scan("0123456789abcdefgh\x1B", 19, &off, &cp) == QY_TEXT_CONTROL && off == 18);
	CHECK(scan("0123456789abcdef\xFF", 17, &off, &cp) == QY_TEXT_INVALID && off == 16);
	CHECK(scan("\xFF", 1, &off, &cp) == QY_TEXT_INVALID && off == 0);
	CHECK(scan("\xC0\xAF", 2, &off, &cp) == QY_TEXT_INVALID);		/* overlong */
	CHECK(scan("\xE0\x80\xAF", 3, &off, &cp) == QY_TEXT_INVALID);		/* overlong */
	CHECK(scan("\xED\xA0\x80", 3, &off, &cp) == QY_TEXT_INVALID);		/* surrogate */
	CHECK(scan("\xF4\x90\x80\x80", 4, &off, &cp) == QY_TEXT_INVALID);	/* > U+10FFFF */
	CHECK(scan("ab\xE4\xB8", 4, &off, &cp) == QY_TEXT_INVALID && off == 2); /* cut */
	CHECK(qy_utf8_valid_len("ab\xE4\xB8\xAD\xFF", 6) == 5);
}

static void
test_repair(void)
{
	struct qy_buf b = {0};
	qy_utf8_repair(&b,
		       "a\xFF"
		       "b",
		       3);
	CHECK_STR(b.data, "a\xEF\xBF\xBD"
			  "b");
	qy_buf_reset(&b);
	/* A valid beginning cut short is one U+FFFD (maximal subpart). */
	qy_utf8_repair(&b, "\xE4\xB8\xE4\xB8\xAD", 5);
	CHECK_STR(b.data, "\xEF\xBF\xBD\xE4\xB8\xAD");
	qy_buf_reset(&b);
	qy_utf8_repair(&b, "x\xE4\xB8", 3);
	CHECK_STR(b.data, "x\xEF\xBF\xBD");
	qy_buf_reset(&b);
	qy_utf8_repair(&b, "\xED\xA0\x80", 3); /* a surrogate: each byte its own */
	CHECK_STR(b.data, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	qy_buf_free(&b);
	CHECK(qy_ascii_only("hello, world", 12));
	CHECK(!qy_ascii_only("hello, w\xC3\xB6rld", 13));
	CHECK(qy_ascii_only("", 0));
}

static void
test_gb18030(void)
{
	struct qy_gb18030 g;
	CHECK(qy_gb18030_open(&g) == 0);
	/* Two-byte codes go through the table built at open, not iconv (a
	 * merge once dropped it, leaving the right answers three times slower). */
	CHECK(g.pairs != NULL);
	struct qy_buf b = {0};
	size_t bad = 99;
	CHECK(qy_gb18030_decode(&g, "\xD6\xD0\xCE\xC4,ab", 7, &b, &bad) == 0);
	CHECK_STR(b.data, "\xE4\xB8\xAD\xE6\x96\x87,ab");
	qy_buf_reset(&b);
	/* Four-byte sequences: U+0080 and U+20000. */
	CHECK(qy_gb18030_decode(&g, "\x81\x30\x81\x30\x95\x32\x82\x36", 8, &b, &bad) == 0);
	CHECK_STR(b.data, "\xC2\x80\xF0\xA0\x80\x80");
	qy_buf_reset(&b);
	/* Invalid bytes: U+FFFD each, and the first one's offset. */
	CHECK(qy_gb18030_decode(&g,
				"a\x80"
				"b\xFF",
				4, &b, &bad) == -1 &&
	      bad == 1);
	CHECK_STR(b.data, "a\xEF\xBF\xBD"
			  "b\xEF\xBF\xBD");
	qy_buf_reset(&b);
	CHECK(qy_gb18030_decode(&g, "ab\xD6", 3, &b, &bad) == -1 && bad == 2); /* cut short */
	CHECK_STR(b.data, "ab\xEF\xBF\xBD");
	qy_buf_reset(&b);
	/* A lead byte with a bad trail: the trail byte is read again as ASCII. */
	CHECK(qy_gb18030_decode(&g, "\x81\x22x", 3, &b, &bad) == -1 && bad == 0);
	CHECK_STR(b.data, "\xEF\xBF\xBD\"x");
	qy_buf_free(&b);
	qy_gb18030_close(&g);
}

static void
test_utf16(void)
{
	struct qy_utf16 u;
	struct qy_buf b = {0};
	CHECK(qy_utf16_open(&u, 0) == 0);
	qy_utf16_convert(&u, "a\0\x2D\x4E=\xD8\x00\xDE", 8, 1, &b); /* a 中 😀 */
	CHECK_STR(b.data, "a\xE4\xB8\xAD\xF0\x9F\x98\x80");
	qy_utf16_close(&u);
	/* Byte by byte: characters carried across calls. */
	qy_buf_reset(&b);
	CHECK(qy_utf16_open(&u, 1) == 0);
	const char be[] = "\0a\x4E\x2D\xD8=\xDE\x00\0z";
	for (size_t i = 0; i < sizeof be - 1; i++)
		qy_utf16_convert(&u, be + i, 1, 0, &b);
	qy_utf16_convert(&u, "", 0, 1, &b);
	CHECK_STR(b.data, "a\xE4\xB8\xAD\xF0\x9F\x98\x80z");
	qy_utf16_close(&u);
	/* A lone surrogate and an odd byte at the end are 0xFF. */
	qy_buf_reset(&b);
	CHECK(qy_utf16_open(&u, 0) == 0);
	qy_utf16_convert(&u,
			 "\x00\xD8"
			 "b\0c",
			 5, 1, &b);
	CHECK_STR(b.data, "\xFF"
			  "b\xFF");
	qy_utf16_close(&u);
	qy_buf_free(&b);
}

static void
test_classify(void)
{
	CHECK(qy_text_classify("", 0) == 0);
	CHECK(qy_text_classify("plain", 5) == 0);
	CHECK(qy_text_classify("a\tb", 3) == QY_TEXT_ESCAPE);
	CHECK(qy_text_classify("a\\b", 3) == QY_TEXT_ESCAPE);
	CHECK(qy_text_classify("\xE4\xB8\xAD", 3) == QY_TEXT_NONASCII);
	CHECK(qy_text_classify("a\x01", 2) == (QY_TEXT_ESCAPE | QY_TEXT_PROBLEM));
	CHECK(qy_text_classify("a\x7F", 2) == QY_TEXT_PROBLEM);
	CHECK(qy_text_classify("a\xC2\x85", 3) == (QY_TEXT_NONASCII | QY_TEXT_PROBLEM));
	CHECK(qy_text_classify("ab\xE4\xB8", 4) == (QY_TEXT_NONASCII | QY_TEXT_PROBLEM));
}

/* Pieces random text is made of: every case the classifier tells apart. */
static const char *const pieces[] = {
    "a",
    "Z",
    " ",
    "0",
    ",",
    "\t",
    "\n",
    "\r",
    "\\",
    "\x01",
    "\x1F",
    "\x7F",
    "\x00",
    "\xC3\xA9",		/* é */
    "\xE4\xB8\xAD",	/* 中 */
    "\xEF\xBC\xA1",	/* Ａ */
    "\xF0\x9F\x98\x80", /* 😀 */
    "\xC2\x85",
    "\xC2\x9F",
    "\xC2\xA0",
    "\xC0\xAF",
    "\xE0\x80\xAF",
    "\xE0\xA0\x80",
    "\xED\xA0\x80",
    "\xED\x9F\xBF",
    "\xF4\x90\x80\x80",
    "\xF4\x8F\xBF\xBF",
    "\xF0\x80\x80\x80",
    "\xF5\x80\x80\x80",
    "\xE4\xB8",
    "\xF0\x9F\x98",
    "\x80",
    "\xBF",
    "\xFF",
    "\xFE",
};

enum { NUL_PIECE = 12 }; /* pieces[12], the one strlen cannot measure */

/* The vector classifiers agree with the portable one on random text, at
 * every length and alignment around their block sizes. */
static void
test_classify_random(void)
{
	uint64_t seed = 0x9E3779B97F4A7C15u;
	char buf[300];
	int agree = 1;
	const size_t npieces = sizeof pieces / sizeof pieces[0];
	for (int round = 0; round < 200000 && agree; round++) {
		size_t n = 0;
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		size_t want = (size_t)(seed % 140);
		/* Mostly one common piece (a, Z, space or 中), so that a rare one
		 * can end up at any offset. */
		static const size_t common[] = {0, 1, 2, 14};
		size_t usual = common[(seed >> 32) % 4];
		while (n < want) {
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			size_t k = seed % 16 < 12 ? usual : (size_t)((seed >> 20) % npieces);
			const char *piece = pieces[k];
			size_t len = k == NUL_PIECE ? 1 : strlen(piece);
			if (n + len > sizeof buf)
				break;
			memcpy(buf + n, piece, len);
			n += len;
		}
		unsigned want_flags = qy_text_classify_portable(buf, n);
		for (int level = 1; level <= 2; level++)
			if (qy_text_classify_at(level, buf, n) != want_flags) {
				fprintf(stderr, "level %d, %zu bytes, round %d: %u, not %u\n",
					level, n, round, qy_text_classify_at(level, buf, n),
					want_flags);
				agree = 0;
			}
	}
	CHECK(agree);
}

/* Compares every classifier on p[0..n); says what differs. */
static int
classifiers_agree(const char *p, size_t n, const char *where)
{
	unsigned want = qy_text_classify_portable(p, n);
	for (int level = 1; level <= 2; level++) {
		unsigned got = qy_text_classify_at(level, p, n);
		if (got != want) {
			fprintf(stderr, "level %d, %zu bytes (%s): %u, not %u\n", level, n, where,
				got, want);
			return 0;
		}
	}
	return 1;
}

/* The last, partial block is read without reading past the text: at every
 * length 0..99 (every tail 0..63 of both block sizes), with every piece at
 * every place, in ASCII and in CJK text, for a text that ends right before
 * an unmapped page and one that starts right after one.  An over-read there
 * would crash the test, not only fail it. */
static void
test_classify_tails(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, (size_t)page * 3, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(map != MAP_FAILED);
	if (map == MAP_FAILED)
		return;
	/* Pages 0 and 2 unreadable: page 1 starts after one and ends at the
	 * other. */
	CHECK(mprotect(map, (size_t)page, PROT_NONE) == 0);
	CHECK(mprotect(map + 2 * page, (size_t)page, PROT_NONE) == 0);
	static const char *const fillers[] = {"a", "\xE4\xB8\xAD"};
	const size_t npieces = sizeof pieces / sizeof pieces[0];
	int agree = 1;
	char text[128];
	for (size_t fi = 0; fi < 2 && agree; fi++) {
		size_t fl = strlen(fillers[fi]);
		for (size_t n = 0; n < 100 && agree; n++) {
			for (size_t k = 0; k < npieces && agree; k++) {
				size_t len = k == NUL_PIECE ? 1 : strlen(pieces[k]);
				for (size_t at = 0; at + len <= n && agree; at++) {
					for (size_t i = 0; i < n; i++)
						text[i] = fillers[fi][i % fl];
					memcpy(text + at, pieces[k], len);
					char *end_of_page = map + 2 * page - n;
					char *start_of_page = map + page;
					memcpy(end_of_page, text, n);
					agree = classifiers_agree(end_of_page, n, "page end");
					memcpy(start_of_page, text, n);
					agree = agree &&
						classifiers_agree(start_of_page, n, "page start");
				}
			}
			/* Without a piece: the filler alone, cut anywhere. */
			for (size_t i = 0; i < n; i++)
				text[i] = fillers[fi][i % fl];
			memcpy(map + 2 * page - n, text, n);
			agree = agree && classifiers_agree(map + 2 * page - n, n, "filler");
		}
	}
	CHECK(agree);
	munmap(map, (size_t)page * 3);
}

int
main(void)
{
	RUN(test_sniff);
	RUN(test_scan);
	RUN(test_repair);
	RUN(test_gb18030);
	RUN(test_utf16);
	RUN(test_classify);
	RUN(test_classify_random);
	RUN(test_classify_tails);
	return check_report();
}
