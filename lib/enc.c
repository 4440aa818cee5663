/* enc.c — input encodings: sniffing, UTF-8 checks, GB18030 and UTF-16. */
#include "enc.h"

#include "gb18030.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *
qy_enc_name(enum qy_enc e)
{
	switch (e) {
	case QY_ENC_UTF8:
		return "UTF-8";
	case QY_ENC_GB18030:
		return "GB18030";
	case QY_ENC_UTF16LE:
		return "UTF-16LE";
	case QY_ENC_UTF16BE:
		return "UTF-16BE";
	default:
		return "auto";
	}
}

/* The number of bytes of the UTF-8 character that starts at p[0] when it is
 * valid and complete within n bytes, else 0.  *prefix gets the length of its
 * longest valid beginning (at least 1): the "maximal subpart" that one U+FFFD
 * replaces, and what tells an incomplete character from an invalid one. */
static size_t
utf8_char(const unsigned char *p, size_t n, size_t *prefix)
{
	unsigned c = p[0];
	size_t need;
	unsigned lo = 0x80, hi = 0xBF; /* the range of the second byte */
	*prefix = 1;
	if (c < 0x80)
		return 1;
	if (c < 0xC2)
		return 0;
	if (c < 0xE0) {
		need = 2;
	} else if (c < 0xF0) {
		need = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (c < 0xF5) {
		need = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F; /* nothing above U+10FFFF */
	} else {
		return 0;
	}
	for (size_t k = 1; k < need; k++) {
		if (k >= n)
			return 0;
		unsigned b = p[k];
		if (k == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80)
			return 0;
		*prefix = k + 1;
	}
	return need;
}

/* 1 when p[0..n) is the valid beginning of a character cut short. */
static int
utf8_incomplete(const unsigned char *p, size_t n)
{
	size_t prefix;
	return n > 0 && n < 4 && p[0] >= 0xC2 && p[0] <= 0xF4 && utf8_char(p, n, &prefix) == 0 &&
	       prefix == n;
}

enum qy_enc
qy_enc_sniff(const char *p, size_t n, size_t *bom)
{
	const unsigned char *u = (const unsigned char *)p;
	*bom = 0;
	if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		*bom = 3;
		return QY_ENC_UTF8;
	}
	if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
		*bom = 2;
		return QY_ENC_UTF16LE;
	}
	if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
		*bom = 2;
		return QY_ENC_UTF16BE;
	}
	size_t ok = qy_utf8_valid_len(p, n);
	if (ok == n || utf8_incomplete(u + ok, n - ok))
		return QY_ENC_UTF8; /* an incomplete character at the end is ignored */
	return QY_ENC_GB18030;
}

/* 1 when p starts with a 3-byte character led by E1..EC or EE..EF: those
 * take any continuation bytes (E0 and ED restrict the second one). */
static inline int
is_plain_3byte(const unsigned char *p, size_t n)
{
	return n >= 3 && p[0] >= 0xE1 && p[0] <= 0xEF && p[0] != 0xED && (p[1] & 0xC0) == 0x80 &&
	       (p[2] & 0xC0) == 0x80;
}

#define WORD_ONES UINT64_C(0x0101010101010101)
#define WORD_HIGH UINT64_C(0x8080808080808080)

/* 1 when all 8 bytes of w are printable ASCII (0x20..0x7E). */
static inline int
word_printable(uint64_t w)
{
	if (w & WORD_HIGH)
		return 0;
	/* No byte has its high bit set, so these sums carry into no neighbour:
	 * b + 0x60 reaches 0x80 exactly when b >= 0x20, b + 1 when b == 0x7F. */
	return ((w + 0x60 * WORD_ONES) & WORD_HIGH) == WORD_HIGH &&
	       ((w + WORD_ONES) & WORD_HIGH) == 0;
}

int
qy_utf8_scan(const char *s, size_t n, size_t *off, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		while (n - i >= 8) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (!word_printable(w))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		unsigned c = p[i];
		if (c >= 0x20 && c < 0x7F) {
			i++;
			continue;
		}
		if (c < 0x80) {
			if (c == '\t' || c == '\n' || c == '\r') {
				i++;
				continue;
			}
			*off = i;
			*cp = c;
			return QY_TEXT_CONTROL;
		}
		if (is_plain_3byte(p + i, n - i)) { /* most of Chinese text */
			i += 3;
			continue;
		}
		size_t prefix, len = utf8_char(p + i, n - i, &prefix);
		if (len == 0) {
			*off = i;
			return QY_TEXT_INVALID;
		}
		if (c == 0xC2 && p[i + 1] < 0xA0) { /* U+0080..U+009F */
			*off = i;
			*cp = p[i + 1];
			return QY_TEXT_CONTROL;
		}
		i += len;
	}
	return QY_TEXT_OK;
}

size_t
qy_utf8_valid_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		while (n - i >= 8) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (w & WORD_HIGH)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (is_plain_3byte(p + i, n - i)) {
			i += 3;
			continue;
		}
		size_t prefix, len = utf8_char(p + i, n - i, &prefix);
		if (len == 0)
			return i;
		i += len;
	}
	return n;
}

void
qy_utf8_repair(struct qy_buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t ok = qy_utf8_valid_len(s + i, n - i);
		qy_buf_add(out, s + i, ok);
		i += ok;
		if (i >= n)
			break;
		size_t prefix;
		utf8_char(p + i, n - i, &prefix);
		qy_buf_add(out, "\xEF\xBF\xBD", 3);
		i += prefix;
	}
}

int
qy_ascii_only(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint64_t acc = 0;
	for (; n - i >= 8; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= p[i];
	return (acc & WORD_HIGH) == 0;
}

int
qy_gb18030_open(struct qy_gb18030 *g)
{
	g->cd = iconv_open("UTF-8", "GB18030");
	g->pairs = g->cd == (iconv_t)-1 ? NULL : qy_gb18030_pairs_new(g->cd);
	return g->cd == (iconv_t)-1 ? -1 : 0;
}

void
qy_gb18030_close(struct qy_gb18030 *g)
{
	if (g->cd != (iconv_t)-1)
		iconv_close(g->cd);
	g->cd = (iconv_t)-1;
	free(g->pairs);
	g->pairs = NULL;
}

int
qy_iconv_append(iconv_t cd, char **in, size_t *inleft, struct qy_buf *out)
{
	for (;;) {
		/* One input byte never makes more than 4 output bytes of UTF-8. */
		qy_buf_grow(out, *inleft * 4 + 8);
		char *o = out->data + out->len;
		size_t oleft = out->cap - out->len - 1;
		size_t r = iconv(cd, in, inleft, &o, &oleft);
		int err = errno;
		out->len = (size_t)(o - out->data);
		out->data[out->len] = '\0';
		if (r != (size_t)-1)
			return 0;
		if (err != E2BIG) {
			iconv(cd, NULL, NULL, NULL, NULL); /* the next call starts afresh */
			return err;
		}
	}
}

int
qy_gb18030_decode(struct qy_gb18030 *g, const char *p, size_t n, struct qy_buf *out, size_t *bad)
{
	return qy_gb18030_pairs_decode(g->cd, g->pairs, p, n, out, bad);
}

int
qy_utf16_open(struct qy_utf16 *u, int big_endian)
{
	memset(u, 0, sizeof *u);
	u->big_endian = big_endian;
	u->cd = iconv_open("UTF-8", big_endian ? "UTF-16BE" : "UTF-16LE");
	return u->cd == (iconv_t)-1 ? -1 : 0;
}

void
qy_utf16_close(struct qy_utf16 *u)
{
	if (u->cd != (iconv_t)-1)
		iconv_close(u->cd);
	u->cd = (iconv_t)-1;
}

/* Converts what it can of *in; keeps an incomplete tail in u->pend unless
 * at_eof.  Returns the number of bytes consumed. */
static size_t
utf16_run(struct qy_utf16 *u, const char *p, size_t n, int at_eof, struct qy_buf *out)
{
	char *in = (char *)p;
	size_t inleft = n;
	while (inleft > 0) {
		int err = qy_iconv_append(u->cd, &in, &inleft, out);
		if (err == 0)
			break;
		if (err == EINVAL && !at_eof)
			break; /* incomplete: wait for more */
		/* A lone surrogate (EILSEQ), or a tail cut by the end of input. */
		qy_buf_addc(out, (char)0xFF);
		size_t skip = inleft >= 2 ? 2 : inleft;
		in += skip;
		inleft -= skip;
	}
	return n - inleft;
}

void
qy_utf16_convert(struct qy_utf16 *u, const char *p, size_t n, int at_eof, struct qy_buf *out)
{
	/* First finish the character carried over, a byte at a time. */
	while (u->npend > 0 && n > 0) {
		u->pend[u->npend++] = (unsigned char)*p++;
		n--;
		size_t used = utf16_run(u, (const char *)u->pend, u->npend, 0, out);
		if (used == u->npend) {
			u->npend = 0;
		} else if (used > 0) {
			memmove(u->pend, u->pend + used, u->npend - used);
			u->npend -= used;
		}
	}
	if (u->npend > 0) { /* n is 0 */
		if (at_eof) {
			utf16_run(u, (const char *)u->pend, u->npend, 1, out);
			u->npend = 0;
		}
		return;
	}
	size_t used = utf16_run(u, p, n, at_eof, out);
	u->npend = n - used;
	memcpy(u->pend, p + used, u->npend);
}

/* ---- classifying a record's text in one pass --------------------------------
 *
 * qy_text_classify answers three questions about a whole record at once:
 * does it hold a problem qy_utf8_scan would report, bytes qy-TSV must
 * escape, non-ASCII bytes?  The vector versions validate UTF-8 with the
 * lookup algorithm of Keiser and Lemire ("Validating UTF-8 in less than one
 * instruction per byte", 2021): three 16-entry tables indexed by the high
 * and low nibble of the previous byte and the high nibble of the current one
 * classify every two-byte window; a second check covers the third and fourth
 * bytes of long characters. */

/* Scalar: the reference the vector versions must agree with. */
unsigned
qy_text_classify_portable(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned flags = 0;
	size_t off;
	unsigned cp;
	for (size_t i = 0; i < n; i++) {
		if (p[i] >= 0x80)
			flags |= QY_TEXT_NONASCII;
		else if (p[i] < 0x20 || p[i] == '\\')
			flags |= QY_TEXT_ESCAPE;
	}
	if (qy_utf8_scan(s, n, &off, &cp) != QY_TEXT_OK)
		flags |= QY_TEXT_PROBLEM;
	return flags;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/* Error bits of a two-byte window (Keiser and Lemire's names). */
enum {
	TOO_SHORT = 1 << 0,  /* a lead byte, then no continuation */
	TOO_LONG = 1 << 1,   /* an ASCII byte, then a continuation */
	OVERLONG_3 = 1 << 2, /* E0 80..9F */
	TOO_LARGE = 1 << 3,  /* F4 90..BF, F5.. */
	SURROGATE = 1 << 4,  /* ED A0..BF */
	OVERLONG_2 = 1 << 5, /* C0, C1 */
	TOO_LARGE_1000 = 1 << 6,
	OVERLONG_4 = 1 << 6, /* F0 80..8F */
	TWO_CONTS = 1 << 7,  /* two continuations: right only as a third or fourth byte */
	CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS,
};

/* Indexed by the previous byte's high nibble, its low nibble, and the
 * current byte's high nibble; a window is bad when all three agree. */
static const unsigned char utf8_byte1_high[16] = {
    TOO_LONG,
    TOO_LONG,
    TOO_LONG,
    TOO_LONG,
    TOO_LONG,
    TOO_LONG,
    TOO_LONG,
    TOO_LONG,
    TWO_CONTS,
    TWO_CONTS,
    TWO_CONTS,
    TWO_CONTS,
    TOO_SHORT | OVERLONG_2,
    TOO_SHORT,
    TOO_SHORT | OVERLONG_3 | SURROGATE,
    TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4,
};
static const unsigned char utf8_byte1_low[16] = {
    CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4,
    CARRY | OVERLONG_2,
    CARRY,
    CARRY,
    CARRY | TOO_LARGE,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
};
static const unsigned char utf8_byte2_high[16] = {
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
    TOO_SHORT,
};

/* The most each of the last three bytes of a block may be: a character
 * that starts there must end in the next block.  The SSSE3 code uses the
 * last 16 bytes. */
static const unsigned char utf8_max_tail[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xEF, 0xDF, 0xBF,
};

/* The byte constants of the vector code, each repeated over 32 bytes (the
 * SSSE3 code reads the last 16) and read from memory: gcc otherwise builds
 * some of them in registers again in every block, three instructions each. */
#define REP8(b) b, b, b, b, b, b, b, b
#define REP32(b)                                                                                   \
	{                                                                                          \
		REP8(b), REP8(b), REP8(b), REP8(b)                                                 \
	}
enum { K_NIBBLE, K_1F, K_BACKSLASH, K_DEL, K_THIRD, K_FOURTH, K_HIGH, K_A0, K_C2, K_SPACE, K_N };
static const unsigned char classify_k[K_N][32] __attribute__((aligned(32))) = {
    [K_NIBBLE] = REP32(0x0F),
    [K_1F] = REP32(0x1F),
    [K_BACKSLASH] = REP32('\\'),
    [K_DEL] = REP32(0x7F),
    [K_THIRD] = REP32(0xE0 - 0x80), /* a third byte follows a lead byte E0 and up */
    [K_FOURTH] = REP32(0xF0 - 0x80),
    [K_HIGH] = REP32(0x80),
    [K_A0] = REP32(0xA0),
    [K_C2] = REP32(0xC2),
    [K_SPACE] = REP32(' '),
};
#undef REP8
#undef REP32
/* The constant k as a vector of the code's width, read through kp, a
 * pointer to classify_k the compiler cannot see through (CLASSIFY_BODY):
 * it must read the table and cannot fold the bytes back into constants that
 * it then rebuilds in registers. */
#define KV(OP, W, k) OP(load)((const void *)(kp[k] + 32 - (W)))

/* 1 when p holds a C0 control other than TAB, LF and CR.  The vector loops
 * only note that some byte is below 0x20 (escaped, whichever it is); this
 * tells the controls among them, for the few texts that have any. */
static int
has_c0_control(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			return 1;
	return 0;
}

/* The vector code, written once for 16-byte (SSSE3) and 32-byte (AVX2)
 * registers.  V is the vector type, OP(x) names the intrinsic, PREV(x, prev,
 * k) shifts the stream so each byte sees the one k places before it.
 *
 * The last, partial block is read without reading past p + n: when the
 * text has a whole block, as the W bytes that end at p + n, stored before W
 * spaces (ASCII, printable, never escaped) and read back from where the
 * partial block starts; else copied onto spaces.
 *
 * err collects invalid UTF-8 and controls alike: both are a problem, and
 * one vector fewer is live in the loop.  Bytes below 0x20 are found by the
 * smallest byte seen (low), and told apart (TAB, LF, CR or a control) only
 * for a text that has one. */
/* One block x of the stream, after prev. */
#define CLASSIFY_BLOCK(V, W, OP, PREV, MOVEMASK)                                                   \
	/* The smallest byte says whether any is below 0x20 (escaped; a control                    \
	 * unless TAB, LF or CR, which has_c0_control tells at the end). */                        \
	low = OP(min_epu8)(low, x);                                                                \
	esc = OP(or)(esc, OP(cmpeq_epi8)(x, KV(OP, W, K_BACKSLASH)));                              \
	err = OP(or)(err, OP(cmpeq_epi8)(x, KV(OP, W, K_DEL)));                                    \
	if (MOVEMASK(x) == 0) {                                                                    \
		/* ASCII: only a character cut short before it can be wrong. */                    \
		err = OP(or)(err, incomplete);                                                     \
		incomplete = OP(setzero)();                                                        \
	} else {                                                                                   \
		high = 1;                                                                          \
		V prev1 = PREV(x, prev, 1);                                                        \
		V special =                                                                        \
		    OP(and)(OP(and)(OP(shuffle_epi8)(b1h, OP(and)(OP(srli_epi16)(prev1, 4), nib)), \
				    OP(shuffle_epi8)(b1l, OP(and)(prev1, nib))),                   \
			    OP(shuffle_epi8)(b2h, OP(and)(OP(srli_epi16)(x, 4), nib)));            \
		V third = OP(subs_epu8)(PREV(x, prev, 2), KV(OP, W, K_THIRD));                     \
		V fourth = OP(subs_epu8)(PREV(x, prev, 3), KV(OP, W, K_FOURTH));                   \
		V must23 = OP(and)(OP(or)(third, fourth), KV(OP, W, K_HIGH));                      \
		err = OP(or)(err, OP(xor)(must23, special));                                       \
		/* C1 controls: C2 80..C2 9F (signed, 0x80..0x9F is below 0xA0). */                \
		err = OP(or)(err, OP(and)(OP(cmpeq_epi8)(prev1, KV(OP, W, K_C2)),                  \
					  OP(cmpgt_epi8)(KV(OP, W, K_A0), x)));                    \
		incomplete = OP(subs_epu8)(x, max_tail);                                           \
	}                                                                                          \
	prev = x;

/* The whole blocks in one loop, then the partial one, if any, apart: the
 * loop need not ask which kind each block is. */
#define CLASSIFY_BODY(V, W, OP, SET1, LOAD16, PREV, TESTZ, MOVEMASK)                               \
	const unsigned char(*kp)[32] = classify_k;                                                 \
	__asm__("" : "+r"(kp));                                                                    \
	const V nib = KV(OP, W, K_NIBBLE), b1h = LOAD16(utf8_byte1_high),                          \
		b1l = LOAD16(utf8_byte1_low), b2h = LOAD16(utf8_byte2_high);                       \
	const V max_tail = OP(loadu)((const void *)(utf8_max_tail + 32 - W));                      \
	V prev = OP(setzero)(), incomplete = prev, err = prev, esc = prev, x;                      \
	V low = OP(cmpeq_epi8)(prev, prev);                                                        \
	unsigned high = 0;                                                                         \
	size_t i = 0;                                                                              \
	for (; n - i >= W; i += W) {                                                               \
		x = OP(loadu)((const void *)(p + i));                                              \
		CLASSIFY_BLOCK(V, W, OP, PREV, MOVEMASK)                                           \
	}                                                                                          \
	if (i < n) {                                                                               \
		unsigned char tail[2 * W];                                                         \
		if (n >= W) {                                                                      \
			OP(storeu)((void *)tail, OP(loadu)((const void *)(p + n - W)));            \
			OP(storeu)((void *)(tail + W), KV(OP, W, K_SPACE));                        \
			x = OP(loadu)((const void *)(tail + W - (n - i)));                         \
		} else {                                                                           \
			memset(tail, ' ', W);                                                      \
			memcpy(tail, p, n);                                                        \
			x = OP(loadu)((const void *)tail);                                         \
		}                                                                                  \
		CLASSIFY_BLOCK(V, W, OP, PREV, MOVEMASK)                                           \
	}                                                                                          \
	err = OP(or)(err, incomplete);                                                             \
	unsigned flags = high ? QY_TEXT_NONASCII : 0;                                              \
	V below20 = OP(cmpeq_epi8)(OP(min_epu8)(low, KV(OP, W, K_1F)), low);                       \
	if (!TESTZ(below20, below20)) {                                                            \
		flags |= QY_TEXT_ESCAPE;                                                           \
		if (has_c0_control(p, n))                                                          \
			flags |= QY_TEXT_PROBLEM;                                                  \
	}                                                                                          \
	if (!TESTZ(esc, esc))                                                                      \
		flags |= QY_TEXT_ESCAPE;                                                           \
	if (!TESTZ(err, err))                                                                      \
		flags |= QY_TEXT_PROBLEM;                                                          \
	return flags;

/* The intrinsics of each width under one naming, so CLASSIFY_BODY can say
 * OP(name). */
#define V128(x) V128_##x
#define V128_loadu(p) _mm_loadu_si128((const __m128i *)(p))
#define V128_load(p) _mm_load_si128((const __m128i *)(p))
#define V128_storeu(p, x) _mm_storeu_si128((__m128i *)(p), (x))
#define V128_setzero _mm_setzero_si128
#define V128_or _mm_or_si128
#define V128_and _mm_and_si128
#define V128_andnot _mm_andnot_si128
#define V128_xor _mm_xor_si128
#define V128_cmpeq_epi8 _mm_cmpeq_epi8
#define V128_cmpgt_epi8 _mm_cmpgt_epi8
#define V128_min_epu8 _mm_min_epu8
#define V128_subs_epu8 _mm_subs_epu8
#define V128_srli_epi16 _mm_srli_epi16
#define V128_shuffle_epi8 _mm_shuffle_epi8
#define V128_SET1(c) _mm_set1_epi8((char)(c))
#define V128_LOAD16(t) _mm_loadu_si128((const __m128i *)(const void *)(t))
#define V128_PREV(x, prev, k) _mm_alignr_epi8((x), (prev), 16 - (k))
#define V128_TESTZ(a, b) _mm_testz_si128((a), (b))
#define V128_MOVEMASK(x) _mm_movemask_epi8(x)

#define V256(x) V256_##x
#define V256_loadu(p) _mm256_loadu_si256((const __m256i *)(p))
#define V256_load(p) _mm256_load_si256((const __m256i *)(p))
#define V256_storeu(p, x) _mm256_storeu_si256((__m256i *)(p), (x))
#define V256_setzero _mm256_setzero_si256
#define V256_or _mm256_or_si256
#define V256_and _mm256_and_si256
#define V256_andnot _mm256_andnot_si256
#define V256_xor _mm256_xor_si256
#define V256_cmpeq_epi8 _mm256_cmpeq_epi8
#define V256_cmpgt_epi8 _mm256_cmpgt_epi8
#define V256_min_epu8 _mm256_min_epu8
#define V256_subs_epu8 _mm256_subs_epu8
#define V256_srli_epi16 _mm256_srli_epi16
#define V256_shuffle_epi8 _mm256_shuffle_epi8
#define V256_SET1(c) _mm256_set1_epi8((char)(c))
#define V256_LOAD16(t)                                                                             \
	_mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)(t)))
/* Bytes of the previous block: the lanes are joined first, since AVX2's
 * alignr works within each 16-byte lane. */
#define V256_PREV(x, prev, k)                                                                      \
	_mm256_alignr_epi8((x), _mm256_permute2x128_si256((prev), (x), 0x21), 16 - (k))
#define V256_TESTZ(a, b) _mm256_testz_si256((a), (b))
#define V256_MOVEMASK(x) _mm256_movemask_epi8(x)

__attribute__((target("sse4.1,ssse3"))) static unsigned
classify_ssse3(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	CLASSIFY_BODY(__m128i, 16, V128, V128_SET1, V128_LOAD16, V128_PREV, V128_TESTZ,
		      V128_MOVEMASK)
}

__attribute__((target("avx2"))) static unsigned
classify_avx2(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	CLASSIFY_BODY(__m256i, 32, V256, V256_SET1, V256_LOAD16, V256_PREV, V256_TESTZ,
		      V256_MOVEMASK)
}

/* The best this CPU has: 2 AVX2, 1 SSSE3 and SSE4.1, 0 neither.
 * __builtin_cpu_supports reads what libgcc found at start-up. */
static int
simd_level(void)
{
	if (__builtin_cpu_supports("avx2"))
		return 2;
	return __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("ssse3");
}

unsigned
qy_text_classify_at(int level, const char *s, size_t n)
{
	int have = simd_level();
	if (level > have)
		level = have;
	if (level == 2)
		return classify_avx2(s, n);
	if (level == 1)
		return classify_ssse3(s, n);
	return qy_text_classify_portable(s, n);
}

unsigned
qy_text_classify(const char *s, size_t n)
{
	if (__builtin_cpu_supports("avx2"))
		return classify_avx2(s, n);
	return qy_text_classify_at(1, s, n);
}

#else

unsigned
qy_text_classify_at(int level, const char *s, size_t n)
{
	(void)level;
	return qy_text_classify_portable(s, n);
}

unsigned
qy_text_classify(const char *s, size_t n)
{
	return qy_text_classify_portable(s, n);
}

#endif
