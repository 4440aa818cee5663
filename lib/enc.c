/* enc.c — input encodings: sniffing, UTF-8 checks, GB18030 and UTF-16. */
#include "enc.h"

#include <errno.h>
#include <stdint.h>
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
	return g->cd == (iconv_t)-1 ? -1 : 0;
}

void
qy_gb18030_close(struct qy_gb18030 *g)
{
	if (g->cd != (iconv_t)-1)
		iconv_close(g->cd);
	g->cd = (iconv_t)-1;
}

/* Runs iconv over *in, appending to out.  Returns 0 when all input was
 * converted, else the errno that stopped it (EILSEQ or EINVAL), *in and
 * *inleft pointing at the offending bytes. */
static int
iconv_append(iconv_t cd, char **in, size_t *inleft, struct qy_buf *out)
{
	for (;;) {
		/* One input byte never makes more than 4 output bytes here. */
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

int
qy_gb18030_decode(struct qy_gb18030 *g, const char *p, size_t n, struct qy_buf *out, size_t *bad)
{
	if (qy_ascii_only(p, n)) {
		qy_buf_add(out, p, n);
		return 0;
	}
	char *in = (char *)p;
	size_t inleft = n;
	int clean = 1;
	while (inleft > 0) {
		if (iconv_append(g->cd, &in, &inleft, out) == 0)
			break;
		if (clean && bad != NULL)
			*bad = (size_t)(in - p);
		clean = 0;
		/* One U+FFFD for the lead byte; what follows it is tried again,
		 * since it may be ASCII (a trail byte 0x40..0x7E). */
		qy_buf_add(out, "\xEF\xBF\xBD", 3);
		in++;
		inleft--;
	}
	iconv(g->cd, NULL, NULL, NULL, NULL);
	return clean ? 0 : -1;
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
		int err = iconv_append(u->cd, &in, &inleft, out);
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
