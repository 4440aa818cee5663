/* gb18030.c — GB18030 → UTF-8 through a table of the two-byte codes built
 * from iconv, with iconv itself for what the table does not hold. */
#include "gb18030.h"

#include "enc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* The length of a UTF-8 character of 2 to 4 bytes from its first byte. */
static size_t
utf8_len_of(unsigned char first)
{
	return 2 + (first >= 0xE0) + (first >= 0xF0);
}

/* The table entry of one two-byte code: what iconv makes of those two bytes
 * alone.  GB18030 is stateless and a code whose second byte is not 0x30..0x39
 * is two bytes long, so iconv decodes the pair the same wherever it stands. */
static uint32_t
pair_entry(iconv_t cd, unsigned lead, unsigned trail)
{
	char in[2] = {(char)lead, (char)trail};
	unsigned char u[16];
	char *ip = in, *op = (char *)u;
	size_t il = sizeof in, ol = sizeof u;
	size_t r = iconv(cd, &ip, &il, &op, &ol);
	size_t len = (size_t)(op - (char *)u);
	if (r == (size_t)-1) {
		iconv(cd, NULL, NULL, NULL, NULL);
		return 0;
	}
	/* Only one whole character of 2 or 3 bytes: its length goes in the
	 * entry's fourth byte.  The few codes that iconv maps beyond the BMP
	 * (4 bytes) stay with iconv. */
	if (len < 2 || len > 3 || u[0] < 0xC2 || utf8_len_of(u[0]) != len)
		return 0;
	u[3] = (unsigned char)len;
	uint32_t e;
	memcpy(&e, u, 4);
	return e;
}

uint32_t *
qy_gb18030_pairs_new(iconv_t cd)
{
	uint32_t *pairs = qy_xcalloc((size_t)QY_GB_LEADS * QY_GB_TRAILS, sizeof *pairs);
	for (unsigned l = 0; l < QY_GB_LEADS; l++)
		for (unsigned t = 0; t < QY_GB_TRAILS; t++)
			if (QY_GB_TRAIL0 + t != 0x7F)
				pairs[l * QY_GB_TRAILS + t] =
				    pair_entry(cd, QY_GB_LEAD0 + l, QY_GB_TRAIL0 + t);
	return pairs;
}

/* 1 when c starts with the shape of a four-byte code (its value unchecked). */
static int
four_byte_shape(const unsigned char *c)
{
	return c[0] - 0x81u < 126 && c[1] - 0x30u < 10 && c[2] - 0x81u < 126 && c[3] - 0x30u < 10;
}

/* How many bytes from s[i] iconv gets at once: a run of four-byte codes
 * whole, since a call costs more than a character; else 4 bytes, enough for
 * any one character. */
static size_t
iconv_window(const unsigned char *s, size_t n, size_t i)
{
	size_t j = i;
	while (n - j >= 4 && four_byte_shape(s + j))
		j += 4;
	if (j > i)
		return j - i;
	return n - i < 4 ? n - i : 4;
}

/* Decodes from s[*i] with iconv what the table does not hold.  iconv sees
 * only the window (whole characters, or 4 bytes), so that one odd character
 * does not send the rest of the field through iconv too; it decides on each
 * character from that character's bytes alone, so it decides as it would
 * with the whole rest in view.  Returns 0, or -1 when iconv rejects the byte
 * at *i: then one U+FFFD stands for it and the next byte is tried afresh (it
 * may be ASCII, say). */
static int
iconv_step(iconv_t cd, const unsigned char *s, size_t n, size_t *i, struct qy_buf *out)
{
	size_t rest = n - *i, window = iconv_window(s, n, *i);
	for (;;) {
		char *in = (char *)(s + *i);
		size_t inleft = window;
		int err = qy_iconv_append(cd, &in, &inleft, out);
		*i += window - inleft;
		/* Stopped after some characters: the caller goes on from there. */
		if (err == 0 || inleft < window)
			return 0;
		/* Cut short by the window, not by the field's end: cannot
		 * happen with whole characters or 4 bytes, but if it does,
		 * iconv gets the rest. */
		if (err == EINVAL && window < rest) {
			window = rest;
			continue;
		}
		qy_buf_add(out, REPLACEMENT, 3);
		*i += 1;
		return -1;
	}
}

/* The table entry of the two-byte code at s[i], or 0 when there is none. */
static inline uint32_t
pair_at(const uint32_t *pairs, const unsigned char *s, size_t n, size_t i)
{
	if (i + 1 >= n)
		return 0;
	unsigned lead = s[i] - QY_GB_LEAD0, trail = s[i + 1] - QY_GB_TRAIL0;
	if (lead >= QY_GB_LEADS || trail >= QY_GB_TRAILS)
		return 0;
	return pairs[lead * QY_GB_TRAILS + trail];
}

/* Writes a table entry's character at o (all 4 bytes of the entry: the
 * caller has room) and returns its length. */
static inline size_t
put_pair(char *o, uint32_t e)
{
	unsigned char u[4];
	memcpy(u, &e, 4);
	memcpy(o, u, 4);
	return u[3];
}

/* Decodes from s[*at] for as long as the bytes are ASCII or codes the
 * table holds, onto the end of out, which has room for 2 bytes per input
 * byte and 8 more: ASCII makes one byte of one (8 or 4 at a time where it
 * can: most fields are short, and many all ASCII), a
 * pair 2 or 3 of 2 (its whole 4-byte entry stored).  Stops at the end, or
 * at a byte for iconv.  Kept apart from the iconv path so that its few
 * variables stay in registers. */
static inline __attribute__((always_inline)) void
decode_run(const uint32_t *pairs, const unsigned char *s, size_t n, size_t *at, struct qy_buf *out)
{
	size_t i = *at;
	char *o = out->data + out->len;
	while (i < n) {
		if (s[i] < 0x80) {
			uint64_t w;
			while (i + 8 <= n &&
			       (memcpy(&w, s + i, 8), !(w & UINT64_C(0x8080808080808080)))) {
				memcpy(o, &w, 8);
				o += 8;
				i += 8;
			}
			uint32_t h;
			if (i + 4 <= n && (memcpy(&h, s + i, 4), !(h & 0x80808080u))) {
				memcpy(o, &h, 4);
				o += 4;
				i += 4;
			}
			while (i < n && s[i] < 0x80)
				*o++ = (char)s[i++];
			continue;
		}
		uint32_t e = pair_at(pairs, s, n, i);
		if (e == 0)
			break;
		o += put_pair(o, e);
		i += 2;
	}
	out->len = (size_t)(o - out->data);
	*at = i;
}

/* Makes room for decode_run over n input bytes, calling qy_buf_grow only
 * when it must: a caller decodes every field of every record, most of them
 * short. */
static inline void
reserve(struct qy_buf *out, size_t n)
{
	if (out->cap - out->len <= 2 * n + 8)
		qy_buf_grow(out, 2 * n + 8);
}

/* A field the fast path does not finish: room made in out, then the table
 * and iconv by turns.  Out of line, so that the fast path makes no call
 * but a tail call and needs no frame. */
__attribute__((noinline)) static int
decode_slow(iconv_t cd, const uint32_t *pairs, const unsigned char *s, size_t n, struct qy_buf *out,
	    size_t *bad)
{
	int clean = 1;
	size_t i = 0;
	reserve(out, n);
	decode_run(pairs, s, n, &i, out);
	while (i < n) {
		size_t at = i;
		if (iconv_step(cd, s, n, &i, out) != 0) {
			if (clean && bad != NULL)
				*bad = at;
			clean = 0;
		}
		reserve(out, n - i);
		decode_run(pairs, s, n, &i, out);
	}
	out->data[out->len] = '\0';
	return clean ? 0 : -1;
}

int
qy_gb18030_pairs_decode(iconv_t cd, const uint32_t *pairs, const char *p, size_t n,
			struct qy_buf *out, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, start = out->len;
	/* Nearly every field: room already there, and ASCII and pairs only.
	 * Any other starts over on the slow path (a few bytes decoded twice). */
	if (out->cap - out->len <= 2 * n + 8)
		return decode_slow(cd, pairs, s, n, out, bad);
	decode_run(pairs, s, n, &i, out);
	if (i < n) {
		out->len = start;
		return decode_slow(cd, pairs, s, n, out, bad);
	}
	out->data[out->len] = '\0';
	return 0;
}
