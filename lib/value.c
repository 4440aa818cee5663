/* value.c — the value types of SPEC 2.7.
 *
 * qy-ingest calls qy_value_norm for every field of every row, so the common
 * case is kept cheap: no allocation (the caller's out and why buffers are
 * reused), an ASCII fast path for trimming and folding that looks at eight
 * bytes at a time, and direct acceptance of values that are already in
 * canonical form (2024-03-05, 42, gov).  Everything is locale-free: no
 * ctype.h, no strtod, no time.h. */
#include "value.h"

#include "rx.h"
#include "word.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- bytes ------------------------------------------------------------ */

static const uint64_t HIGH_BITS = 0x8080808080808080ULL;

/* 1 when some byte of p[0..n) has its high bit set (is not ASCII). */
static int
has_high_byte(const char *p, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		if (w & HIGH_BITS)
			return 1;
	}
	for (; i < n; i++)
		if ((unsigned char)p[i] & 0x80)
			return 1;
	return 0;
}

/* qy_buf_add for the hot path: the common case (room enough) inline,
 * without the two calls into buf.c, and a short value (every code, date,
 * number and phone) without a call at all. */
static inline void
append(struct qy_buf *b, const char *p, size_t n)
{
	if (n <= 16 && b->cap - b->len > 16) {
		copy_short(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return;
	}
	if (b->len + n >= b->cap)
		qy_buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static int
is_ascii_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static unsigned char
ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static int
ascii_caseeq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* The length of the white space character that starts at p (at most n
 * bytes): ASCII white space, U+00A0 (C2 A0) or U+3000 (E3 80 80); else 0. */
static size_t
space_at(const unsigned char *p, size_t n)
{
	if (is_ascii_space(p[0]))
		return 1;
	if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	if (n >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

/* The same for the character that ends at p + n. */
static size_t
space_before(const unsigned char *p, size_t n)
{
	if (is_ascii_space(p[n - 1]))
		return 1;
	if (n >= 2 && p[n - 2] == 0xC2 && p[n - 1] == 0xA0)
		return 2;
	if (n >= 3 && p[n - 3] == 0xE3 && p[n - 2] == 0x80 && p[n - 1] == 0x80)
		return 3;
	return 0;
}

struct qy_str
qy_trim(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	struct qy_str r = {p, n};
	/* Fast path: printable ASCII at both ends (the usual field). */
	if (n == 0 || (s[0] > ' ' && s[0] < 0x80 && s[n - 1] > ' ' && s[n - 1] < 0x80))
		return r;
	size_t k;
	while (r.len > 0 && (k = space_at((const unsigned char *)r.p, r.len)) > 0) {
		r.p += k;
		r.len -= k;
	}
	while (r.len > 0 && (k = space_before((const unsigned char *)r.p, r.len)) > 0)
		r.len -= k;
	return r;
}

/* Folds p[0..n) into dst (at least n bytes): U+FF01..U+FF5E to ASCII, U+3000
 * to a space.  Returns the folded length (≤ n). */
static size_t
fold_into(char *dst, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		if (c < 0x80) {
			dst[o++] = (char)c;
			i++;
		} else if (c == 0xEF && i + 2 < n && s[i + 1] == 0xBC && s[i + 2] >= 0x81 &&
			   s[i + 2] <= 0xBF) {
			dst[o++] = (char)(s[i + 2] - 0x81 + 0x21); /* U+FF01..U+FF3F */
			i += 3;
		} else if (c == 0xEF && i + 2 < n && s[i + 1] == 0xBD && s[i + 2] >= 0x80 &&
			   s[i + 2] <= 0x9E) {
			dst[o++] = (char)(s[i + 2] - 0x80 + 0x60); /* U+FF40..U+FF5E */
			i += 3;
		} else if (c == 0xE3 && i + 2 < n && s[i + 1] == 0x80 && s[i + 2] == 0x80) {
			dst[o++] = ' ';
			i += 3;
		} else {
			dst[o++] = (char)c;
			i++;
		}
	}
	return o;
}

void
qy_fold_fullwidth(struct qy_buf *out, const char *p, size_t n)
{
	if (!has_high_byte(p, n)) {
		append(out, p, n);
		return;
	}
	qy_buf_grow(out, n);
	out->len += fold_into(out->data + out->len, p, n);
	out->data[out->len] = '\0';
}

/* The trimmed, folded form of a non-text value.  It points into the input
 * when nothing needs folding (the usual case), else into a stack buffer, or
 * for a long value into heap memory that folded_free releases. */
struct folded {
	struct qy_str raw; /* trimmed, as typed: what reasons quote */
	struct qy_str v;   /* trimmed and folded: what parsers read */
	char *heap;
	char stack[256];
};

static void
folded_init(struct folded *f, const char *p, size_t n)
{
	f->raw = qy_trim(p, n);
	f->v = f->raw;
	f->heap = NULL;
	if (!has_high_byte(f->raw.p, f->raw.len))
		return;
	char *dst = f->stack;
	if (f->raw.len > sizeof f->stack)
		dst = f->heap = qy_xmalloc(f->raw.len);
	f->v.p = dst;
	f->v.len = fold_into(dst, f->raw.p, f->raw.len);
	/* Folding U+3000 to a space may leave white space at the ends. */
	f->v = qy_trim(f->v.p, f->v.len);
}

static void
folded_free(struct folded *f)
{
	free(f->heap);
}

/* "not a date: '…' (detail)" */
static int
reject(struct qy_buf *why, const char *what, struct qy_str raw, const char *detail)
{
	if (why == NULL)
		return -1;
	qy_buf_adds(why, what);
	qy_buf_adds(why, ": ");
	qy_buf_add_quoted(why, raw.p, raw.len);
	if (detail != NULL) {
		qy_buf_adds(why, " (");
		qy_buf_adds(why, detail);
		qy_buf_addc(why, ')');
	}
	return -1;
}

/* ---- UTF-8 ------------------------------------------------------------ */

int
qy_utf8_valid(const char *p, size_t n, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0;
	while (i < n) {
		if (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (!(w & HIGH_BITS)) {
				i += 8;
				continue;
			}
		}
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		/* Lead byte → sequence length and the range of the second byte,
		 * which is where overlongs (E0, F0), surrogates (ED) and code
		 * points above U+10FFFF (F4) are excluded. */
		size_t len;
		unsigned lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			goto invalid;
		}
		if (n - i < len || s[i + 1] < lo || s[i + 1] > hi)
			goto invalid;
		for (size_t k = 2; k < len; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				goto invalid;
		i += len;
	}
	return 1;
invalid:
	if (bad != NULL)
		*bad = i;
	return 0;
}

/* ---- dates ------------------------------------------------------------ */

static int
is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(long y, int m)
{
	static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar, with March as the first month of a computational year so that
 * the leap day comes last. */
static qy_day
days_from_civil(long y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;				     /* [0, 399] */
	long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	     /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

int
qy_date_from_ymd(int y, int m, int d, qy_day *day)
{
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	*day = days_from_civil(y, m, d);
	return 0;
}

void
qy_date_to_ymd(qy_day day, int *y, int *m, int *d)
{
	long z = day + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void
qy_date_format(qy_day day, char out[11])
{
	int y, m, d;
	qy_date_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
		return;
	}
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

int
qy_month_parse(const char *p, size_t n, int *y, int *m)
{
	if (n != 7 || p[4] != '-')
		return -1;
	for (size_t i = 0; i < 7; i++)
		if (i != 4 && !is_digit((unsigned char)p[i]))
			return -1;
	int yy = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
	int mm = (p[5] - '0') * 10 + (p[6] - '0');
	if (yy < 1000 || mm < 1 || mm > 12)
		return -1;
	*y = yy;
	*m = mm;
	return 0;
}

enum {
	SERIAL_MIN = 20000,
	SERIAL_MAX = 80000,
	/* Excel's serial of 1970-01-01.  Excel counts 1900-02-29, a day that
	 * never was, so from serial 61 (1900-03-01) on every serial is one
	 * more than the true count of days since 1899-12-31. */
	SERIAL_EPOCH_1970 = 25569,
	YEAR_MIN = 1000,
};

static const char DATE_EXPECTED[] =
    "expected a date like 2024-03-05, 2024/3/5, 2024.3.5, 20240305 or 2024年3月5日";

/* Reads a run of 1..max digits at *i; returns its value or -1. */
static long
digits(const char *s, size_t n, size_t *i, size_t min, size_t max)
{
	size_t start = *i;
	long v = 0;
	while (*i < n && is_digit((unsigned char)s[*i]) && *i - start < max)
		v = v * 10 + (s[(*i)++] - '0');
	if (*i - start < min || (*i < n && is_digit((unsigned char)s[*i])))
		return -1;
	return v;
}

/* 1 when s[i..n) is the UTF-8 text lit. */
static int
lit_at(const char *s, size_t n, size_t i, const char *lit)
{
	size_t k = strlen(lit);
	return n - i >= k && memcmp(s + i, lit, k) == 0;
}

/* A time part after the date: white space (or an ISO 'T'), then H:MM,
 * H:MM:SS or H:MM:SS.fff.  It is checked, then dropped. */
static int
time_part_ok(const char *s, size_t n, size_t i)
{
	if (i == n)
		return 1;
	if (s[i] == 'T' || s[i] == 't') {
		i++;
	} else {
		if (s[i] != ' ')
			return 0;
		while (i < n && s[i] == ' ')
			i++;
	}
	long h = digits(s, n, &i, 1, 2);
	if (h < 0 || h > 23 || i >= n || s[i++] != ':')
		return 0;
	long mi = digits(s, n, &i, 2, 2);
	if (mi < 0 || mi > 59)
		return 0;
	if (i < n && s[i] == ':') {
		i++;
		long sec = digits(s, n, &i, 2, 2);
		if (sec < 0 || sec > 59)
			return 0;
		if (i < n && s[i] == '.') {
			i++;
			if (digits(s, n, &i, 1, 9) < 0)
				return 0;
		}
	}
	return i == n;
}

/* A calendar day as parsed, before or instead of counting days. */
struct ymd {
	long y;
	int m, d;
};

/* An Excel serial: digits, an optional fraction that is dropped. */
static int
parse_serial(const char *s, size_t n, struct ymd *date, const char **detail)
{
	size_t i = 0;
	long v = digits(s, n, &i, 1, 9);
	if (v < 0)
		return -1;
	if (i < n) {
		if (s[i] != '.')
			return -1;
		i++;
		if (digits(s, n, &i, 1, 18) < 0 || i != n)
			return -1;
	}
	if (v < SERIAL_MIN || v > SERIAL_MAX) {
		/* A long run of digits is more likely a mistyped date. */
		if (v <= 99999)
			*detail = "an Excel serial day number must be 20000..80000";
		return -1;
	}
	int y, m, d;
	qy_date_to_ymd(v - SERIAL_EPOCH_1970, &y, &m, &d);
	date->y = y, date->m = m, date->d = d;
	return 0;
}

static int
check_ymd(long y, long m, long d, struct ymd *date, const char **detail)
{
	if (y < YEAR_MIN) {
		*detail = "year out of range";
		return -1;
	}
	if (m < 1 || m > 12) {
		*detail = "no such month";
		return -1;
	}
	if (d < 1 || d > days_in_month(y, (int)m)) {
		*detail = "no such day";
		return -1;
	}
	date->y = y, date->m = (int)m, date->d = (int)d;
	return 0;
}

/* The value of the two ASCII digits at p, or -1. */
static int
two_digits(const char *p)
{
	unsigned a = (unsigned char)p[0] - '0', b = (unsigned char)p[1] - '0';
	return a <= 9 && b <= 9 ? (int)(a * 10 + b) : -1;
}

/* 1 when s[0..n) is shaped YYYY-MM-DD (digits where digits go). */
static int
canonical_date_shape(const char *s, size_t n)
{
	return n == 10 && s[4] == '-' && s[7] == '-' && two_digits(s) >= 0 &&
	       two_digits(s + 2) >= 0 && two_digits(s + 5) >= 0 && two_digits(s + 8) >= 0;
}

/* Parses a trimmed, folded date.  On failure *detail says why (or stays
 * DATE_EXPECTED). */
static int
parse_date(const char *s, size_t n, struct ymd *date, const char **detail)
{
	*detail = DATE_EXPECTED;
	if (canonical_date_shape(s, n))
		return check_ymd(two_digits(s) * 100L + two_digits(s + 2), two_digits(s + 5),
				 two_digits(s + 8), date, detail);
	size_t i = 0;
	while (i < n && is_digit((unsigned char)s[i]))
		i++;
	size_t lead = i;
	if (lead == 8) { /* 20240305 */
		if (!time_part_ok(s, n, 8))
			return -1;
		return check_ymd(two_digits(s) * 100L + two_digits(s + 2), two_digits(s + 4),
				 two_digits(s + 6), date, detail);
	}
	if (lead != 4)
		return parse_serial(s, n, date, detail);
	long y = two_digits(s) * 100L + two_digits(s + 2);
	if (i == n)
		return -1;
	long m, d;
	if (s[i] == '-' || s[i] == '/' || s[i] == '.') {
		char sep = s[i++];
		m = digits(s, n, &i, 1, 2);
		if (m < 0 || i >= n || s[i++] != sep)
			return -1;
		d = digits(s, n, &i, 1, 2);
		if (d < 0)
			return -1;
	} else if (lit_at(s, n, i, "年")) {
		i += strlen("年");
		m = digits(s, n, &i, 1, 2);
		if (m < 0 || !lit_at(s, n, i, "月"))
			return -1;
		i += strlen("月");
		d = digits(s, n, &i, 1, 2);
		/* 号 is how many people say and type 日. */
		if (d < 0 || !(lit_at(s, n, i, "日") || lit_at(s, n, i, "号")))
			return -1;
		i += strlen("日");
	} else {
		return -1;
	}
	if (!time_part_ok(s, n, i))
		return -1;
	return check_ymd(y, m, d, date, detail);
}

int
qy_date_parse(const char *p, size_t n, qy_day *day, struct qy_buf *why)
{
	struct folded f;
	folded_init(&f, p, n);
	const char *detail;
	struct ymd date;
	int rc = parse_date(f.v.p, f.v.len, &date, &detail);
	if (rc == 0)
		*day = days_from_civil(date.y, date.m, date.d);
	else if (why != NULL)
		reject(why, "not a date", f.raw, detail);
	folded_free(&f);
	return rc;
}

/* Writes YYYY-MM-DD (no NUL) for a year of 1000..9999. */
static void
format_ymd(const struct ymd *date, char *out)
{
	long y = date->y;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + date->m / 10);
	out[6] = (char)('0' + date->m % 10);
	out[7] = '-';
	out[8] = (char)('0' + date->d / 10);
	out[9] = (char)('0' + date->d % 10);
}

static int
norm_date(struct qy_str v, struct qy_str raw, struct qy_buf *out, struct qy_buf *why)
{
	struct ymd date;
	const char *detail;
	if (parse_date(v.p, v.len, &date, &detail) < 0)
		return reject(why, "not a date", raw, detail);
	qy_buf_grow(out, 10);
	format_ymd(&date, out->data + out->len);
	out->len += 10;
	out->data[out->len] = '\0';
	return 0;
}

/* ---- numbers ---------------------------------------------------------- */

/* Removes the thousands separators of a value in ^\d{1,3}(,\d{3})+ shape
 * (followed by the rest of the value, e.g. a fraction) into dst.  Returns the
 * length written, or 0 when the commas are not in that shape. */
static size_t
strip_thousands(const char *s, size_t n, char *dst, size_t *consumed)
{
	size_t i = 0, o = 0;
	while (i < n && is_digit((unsigned char)s[i]) && i < 4)
		dst[o++] = s[i++];
	if (i == 0 || i > 3 || i >= n || s[i] != ',')
		return 0;
	while (i < n && s[i] == ',') {
		i++;
		for (int k = 0; k < 3; k++, i++) {
			if (i >= n || !is_digit((unsigned char)s[i]))
				return 0;
			dst[o++] = s[i];
		}
		if (i < n && is_digit((unsigned char)s[i]))
			return 0;
	}
	*consumed = i;
	return o;
}

/* Bounds as a message shows them: 1..100000, 0..24. */
static void
add_range(struct qy_buf *b, double lo, double hi)
{
	qy_buf_printf(b, "expected %.15g..%.15g", lo, hi);
}

static int
out_of_range(struct qy_buf *why, struct qy_str raw, double lo, double hi)
{
	if (why == NULL)
		return -1;
	qy_buf_adds(why, "out of range: ");
	qy_buf_add_quoted(why, raw.p, raw.len);
	qy_buf_adds(why, " (");
	add_range(why, lo, hi);
	qy_buf_addc(why, ')');
	return -1;
}

/* Compares the decimal with integer part ip (digits, no leading zeros) and
 * fraction fp (digits, may be empty) to bound b: <0, 0, >0.  Exact when b is
 * a whole number, which every schema bound is. */
static int
decimal_cmp(struct qy_str ip, struct qy_str fp, double b)
{
	int frac_nonzero = 0;
	for (size_t i = 0; i < fp.len; i++)
		if (fp.p[i] != '0')
			frac_nonzero = 1;
	if (ip.len > 15)
		return b < 1e15 ? 1 : 0; /* beyond any bound we use */
	double iv = 0;
	for (size_t i = 0; i < ip.len; i++)
		iv = iv * 10 + (ip.p[i] - '0');
	if (b > -1e15 && b < 1e15 && b == (double)(long long)b) {
		if (iv != b)
			return iv < b ? -1 : 1;
		return frac_nonzero;
	}
	double v = iv, scale = 0.1;
	for (size_t i = 0; i < fp.len && i < 17; i++, scale /= 10)
		v += (fp.p[i] - '0') * scale;
	return v < b ? -1 : v > b;
}

/* 1 when the whole number v (digits, no leading zeros, at most 18) is
 * within lo..hi. */
static int
int_in_range(uint64_t v, double lo, double hi)
{
	double x = (double)v;
	return x >= lo && x <= hi;
}

static int
norm_int(struct qy_str v, struct qy_str raw, double lo, double hi, struct qy_buf *out,
	 struct qy_buf *why)
{
	static const char expected[] = "expected a whole number without sign, e.g. 12 or 1,234";
	const char *s = v.p;
	size_t n = v.len, i = 0;
	/* Fast path: plain digits without a leading zero. */
	uint64_t x = 0;
	while (i < n && is_digit((unsigned char)s[i]) && i < 18)
		x = x * 10 + (uint64_t)(s[i++] - '0');
	if (i == n && s[0] != '0') {
		if (!int_in_range(x, lo, hi))
			return out_of_range(why, raw, lo, hi);
		append(out, s, n);
		return 0;
	}
	/* Otherwise gather the digits, without commas, in the output buffer's
	 * spare room: they are written there anyway when accepted. */
	qy_buf_grow(out, n);
	char *dst = out->data + out->len;
	size_t len = 0;
	i = 0;
	while (i < n && is_digit((unsigned char)s[i]))
		dst[len++] = s[i++];
	if (i < n && s[i] == ',') {
		size_t consumed;
		len = strip_thousands(s, n, dst, &consumed);
		if (len == 0 || consumed != n)
			len = 0;
		i = n;
	}
	if (len == 0 || i != n) {
		out->data[out->len] = '\0';
		return reject(why, "not a whole number", raw, expected);
	}
	size_t z = 0;
	while (z + 1 < len && dst[z] == '0')
		z++;
	x = 0;
	for (size_t k = z; k < len && k - z < 18; k++)
		x = x * 10 + (uint64_t)(dst[k] - '0');
	if (len - z > 18 || !int_in_range(x, lo, hi)) {
		out->data[out->len] = '\0';
		return out_of_range(why, raw, lo, hi);
	}
	memmove(dst, dst + z, len - z);
	out->len += len - z;
	out->data[out->len] = '\0';
	return 0;
}

static int
norm_decimal(struct qy_str v, struct qy_str raw, double lo, double hi, struct qy_buf *out,
	     struct qy_buf *why)
{
	static const char expected[] = "expected a number like 2 or 1.5, without sign";
	const char *s = v.p;
	size_t n = v.len, i = 0;
	qy_buf_grow(out, n);
	char *dst = out->data + out->len;
	size_t len = 0;
	while (i < n && is_digit((unsigned char)s[i]))
		dst[len++] = s[i++];
	if (i < n && s[i] == ',') {
		size_t consumed;
		len = strip_thousands(s, n, dst, &consumed);
		if (len == 0) {
			out->data[out->len] = '\0';
			return reject(why, "not a decimal number", raw, expected);
		}
		i = consumed;
	}
	size_t int_len = len;
	if (int_len > 0 && i < n && s[i] == '.') {
		dst[len++] = s[i++];
		size_t f0 = i;
		while (i < n && is_digit((unsigned char)s[i]))
			dst[len++] = s[i++];
		if (i == f0)
			int_len = 0; /* a trailing '.' */
	}
	if (int_len == 0 || i != n) {
		out->data[out->len] = '\0';
		return reject(why, "not a decimal number", raw, expected);
	}
	size_t z = 0;
	while (z + 1 < int_len && dst[z] == '0')
		z++;
	struct qy_str ip = {dst + z, int_len - z};
	struct qy_str fp = {dst + int_len, len - int_len};
	if (fp.len > 0) {
		fp.p++;
		fp.len--;
	}
	if (decimal_cmp(ip, fp, lo) < 0 || decimal_cmp(ip, fp, hi) > 0) {
		out->data[out->len] = '\0';
		return out_of_range(why, raw, lo, hi);
	}
	out->len += len; /* as typed: leading zeros and trailing zeros kept */
	out->data[out->len] = '\0';
	return 0;
}

/* ---- phones ----------------------------------------------------------- */

static const char PHONE_EXPECTED[] = "expected a mobile 1[3-9]XXXXXXXXX or a landline 0XXXXXXXXX "
				     "with 10 to 12 digits, area code included";

static int
contains(struct qy_str v, const char *lit)
{
	size_t k = strlen(lit);
	for (size_t i = 0; i + k <= v.len; i++)
		if (ascii_caseeq(v.p + i, lit, k))
			return 1;
	return 0;
}

/* Why a phone that is not a plain number was rejected. */
static const char *
phone_detail(struct qy_str v)
{
	static const char *const several[] = {"/", ",", ";", "、", "|", NULL};
	static const char *const extension[] = {"转", "分机", "ext", "x", "#", NULL};
	for (int k = 0; several[k] != NULL; k++)
		if (contains(v, several[k]))
			return "one phone number per field";
	for (int k = 0; extension[k] != NULL; k++)
		if (contains(v, extension[k]))
			return "extensions are not accepted";
	return PHONE_EXPECTED;
}

static int
norm_phone(struct qy_str v, struct qy_str raw, struct qy_buf *out, struct qy_buf *why)
{
	const unsigned char *s = (const unsigned char *)v.p;
	size_t n = v.len;
	char digits_buf[24];
	size_t len = 0;
	int plus = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (is_digit(c)) {
			if (len == sizeof digits_buf)
				return reject(why, "not a phone", raw, phone_detail(v));
			digits_buf[len++] = (char)c;
		} else if (is_ascii_space(c) || c == '-' || c == '.' || c == '(' || c == ')') {
			continue;
		} else if (c == 0xC2 && i + 1 < n && s[i + 1] == 0xA0) {
			i++; /* U+00A0 inside */
		} else if (c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && s[i + 2] >= 0x90 &&
			   s[i + 2] <= 0x95) {
			i += 2; /* U+2010..U+2015: the dashes a Chinese input method types */
		} else if (c == '+' && len == 0 && !plus) {
			plus = 1;
		} else {
			return reject(why, "not a phone", raw, phone_detail(v));
		}
	}
	const char *d = digits_buf;
	int prefixed = 0;
	if (plus) {
		if (len < 2 || d[0] != '8' || d[1] != '6')
			return reject(why, "not a phone", raw,
				      "only Chinese numbers (+86) are accepted");
		d += 2, len -= 2, prefixed = 1;
	} else if (len >= 2 && d[0] == '8' && d[1] == '6') {
		d += 2, len -= 2, prefixed = 1;
	} else if (len >= 4 && memcmp(d, "0086", 4) == 0) {
		d += 4, len -= 4, prefixed = 1;
	}
	qy_buf_grow(out, len + 1);
	char *o = out->data + out->len;
	size_t olen = 0;
	/* After a country prefix an area code loses its trunk 0.  Area codes
	 * are 10 (Beijing's 010), 2X and 3XX..9XX, so a leading 1 is a mobile
	 * unless it is 10. */
	if (prefixed && len >= 2 && ((d[0] >= '2' && d[0] <= '9') || (d[0] == '1' && d[1] == '0')))
		o[olen++] = '0';
	memcpy(o + olen, d, len);
	olen += len;
	int ok = 0;
	if (olen == 11 && o[0] == '1' && o[1] >= '3' && o[1] <= '9')
		ok = 1;
	else if (olen >= 10 && olen <= 12 && o[0] == '0')
		ok = 1;
	if (!ok) {
		char detail[200];
		if (olen > 12 && contains(v, "-"))
			snprintf(detail, sizeof detail, "extensions are not accepted");
		else if (olen > 0 && (o[0] == '0' || o[0] == '1'))
			snprintf(detail, sizeof detail, "%s; this has %zu digits", PHONE_EXPECTED,
				 olen);
		else
			snprintf(detail, sizeof detail, "%s", PHONE_EXPECTED);
		out->data[out->len] = '\0'; /* o is not kept */
		return reject(why, "not a phone", raw, detail);
	}
	out->len += olen;
	out->data[out->len] = '\0';
	return 0;
}

/* ---- ids -------------------------------------------------------------- */

/* The length of a white space or control character at p, else 0: C0, DEL,
 * C1 (C2 80..C2 9F), U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029,
 * U+202F, U+205F, U+3000, U+FEFF. */
static size_t
blank_or_control_at(const unsigned char *p, size_t n)
{
	if (p[0] <= ' ' || p[0] == 0x7F)
		return 1;
	if (p[0] < 0x80)
		return 0;
	if (n >= 2 && p[0] == 0xC2 && (p[1] <= 0x9F || p[1] == 0xA0))
		return 2;
	if (n < 3)
		return 0;
	if (p[0] == 0xE1 && p[1] == 0x9A && p[2] == 0x80)
		return 3;
	if (p[0] == 0xE2 && p[1] == 0x80 &&
	    (p[2] <= 0x8A || p[2] == 0xA8 || p[2] == 0xA9 || p[2] == 0xAF))
		return 3;
	if (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F)
		return 3;
	if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		return 3;
	return 0;
}

static int
norm_id(struct qy_str raw, struct qy_buf *out, struct qy_buf *why)
{
	size_t start = out->len;
	qy_fold_fullwidth(out, raw.p, raw.len);
	const unsigned char *s = (const unsigned char *)out->data + start;
	size_t n = out->len - start;
	for (size_t i = 0; i < n; i++) {
		if (s[i] > ' ' && s[i] < 0x7F)
			continue;
		if (blank_or_control_at(s + i, n - i) > 0) {
			out->len = start;
			out->data[start] = '\0';
			return reject(why, "not an id", raw,
				      "no white space or control characters allowed inside");
		}
	}
	return 0;
}

/* ---- coded values ----------------------------------------------------- */

struct alias {
	const char *text;
	unsigned char len;
	signed char code;
};

#define A(s, c)                                                                                    \
	{                                                                                          \
		s, sizeof s - 1, c                                                                 \
	}

/* A canonical code, NUL-padded to two words so that the fast path compares
 * it with two word compares (canonical_code).  Every code fits: the array
 * size in N is negative, and the build fails, for one that does not. */
struct code_name {
	char text[16];
	unsigned char len;
	signed char code;
};

#define N(s, c)                                                                                    \
	{                                                                                          \
		s, sizeof s - 1 + 0 * sizeof(char[sizeof s <= 16 ? 1 : -1]), c                     \
	}

struct code_table {
	const char *what;	       /* "not a category" */
	const struct code_name *names; /* canonical codes, by code */
	const char *const *labels;     /* Chinese labels, by code */
	int ncodes;		       /* codes 0..ncodes-1 (satisfaction: 1..5) */
	int first;		       /* the first code (1 for satisfaction) */
	const struct alias *aliases;   /* besides the names; {NULL} ends */
	const char *expected;	       /* the reason's parenthesis */
};

static const struct code_name category_names[] = {N("gov", 0),	   N("life", 1), N("legal", 2),
						  N("culture", 3), N("care", 4), N("party", 5),
						  N("any", 6)};
static const char *const category_labels[] = {"政务", "生活", "法律", "文体",
					      "关爱", "党员", "不限"};
static const struct alias category_aliases[] = {
    A("政务", QY_CAT_GOV),	 A("政务服务", QY_CAT_GOV),	A("生活", QY_CAT_LIFE),
    A("生活服务", QY_CAT_LIFE),	 A("法律", QY_CAT_LEGAL),	A("法律服务", QY_CAT_LEGAL),
    A("法律援助", QY_CAT_LEGAL), A("文体", QY_CAT_CULTURE),	A("文体服务", QY_CAT_CULTURE),
    A("文化", QY_CAT_CULTURE),	 A("文化体育", QY_CAT_CULTURE), A("关爱", QY_CAT_CARE),
    A("关爱服务", QY_CAT_CARE),	 A("帮扶", QY_CAT_CARE),	A("党员", QY_CAT_PARTY),
    A("党员服务", QY_CAT_PARTY), A("党建", QY_CAT_PARTY),	{NULL, 0, 0},
};
static const struct alias category_any_aliases[] = {
    A("全部", QY_CAT_ANY),
    A("不限", QY_CAT_ANY),
    {NULL, 0, 0},
};

static const struct code_name priority_names[] = {N("normal", 0), N("urgent", 1), N("critical", 2)};
static const char *const priority_labels[] = {"一般", "紧急", "特急"};
static const struct alias priority_aliases[] = {
    A("一般", QY_PRI_NORMAL),	A("普通", QY_PRI_NORMAL),
    A("1", QY_PRI_NORMAL),	A("紧急", QY_PRI_URGENT),
    A("较急", QY_PRI_URGENT),	A("2", QY_PRI_URGENT),
    A("特急", QY_PRI_CRITICAL), A("非常紧急", QY_PRI_CRITICAL),
    A("3", QY_PRI_CRITICAL),	{NULL, 0, 0},
};

static const struct code_name status_names[] = {N("open", 0), N("claimed", 1), N("done", 2),
						N("closed", 3)};
static const char *const status_labels[] = {"待认领", "已认领", "已办结", "已关闭"};
static const struct alias status_aliases[] = {
    A("待认领", QY_ST_OPEN),	 A("待派单", QY_ST_OPEN),
    A("未认领", QY_ST_OPEN),	 A("新建", QY_ST_OPEN),
    A("已认领", QY_ST_CLAIMED),	 A("已派单", QY_ST_CLAIMED),
    A("办理中", QY_ST_CLAIMED),	 A("处理中", QY_ST_CLAIMED),
    A("已办结", QY_ST_DONE),	 A("已完成", QY_ST_DONE),
    A("办结", QY_ST_DONE),	 A("已关闭", QY_ST_CLOSED),
    A("已撤销", QY_ST_CLOSED),	 A("撤销", QY_ST_CLOSED),
    A("不予受理", QY_ST_CLOSED), {NULL, 0, 0},
};

static const struct code_name satisfaction_names[] = {N("1", 1), N("2", 2), N("3", 3), N("4", 4),
						      N("5", 5)};
static const char *const satisfaction_labels[] = {"非常不满意", "不满意", "基本满意", "满意",
						  "非常满意"};
static const struct alias satisfaction_aliases[] = {
    A("非常满意", 5), A("满意", 4),	  A("基本满意", 3),
    A("不满意", 2),   A("非常不满意", 1), {NULL, 0, 0},
};

static const struct code_name unit_kind_names[] = {
    N("agency", 0), N("enterprise", 1), N("social_org", 2), N("volunteer_team", 3), N("member", 4)};
static const char *const unit_kind_labels[] = {"机关", "企事业单位", "社会组织", "志愿服务队",
					       "在职党员"};
static const struct alias unit_kind_aliases[] = {
    A("机关", QY_UK_AGENCY),	       A("机关单位", QY_UK_AGENCY),
    A("企业", QY_UK_ENTERPRISE),       A("事业单位", QY_UK_ENTERPRISE),
    A("企事业单位", QY_UK_ENTERPRISE), A("国企", QY_UK_ENTERPRISE),
    A("社会组织", QY_UK_SOCIAL_ORG),   A("志愿服务队", QY_UK_VOLUNTEER_TEAM),
    A("志愿队", QY_UK_VOLUNTEER_TEAM), A("在职党员", QY_UK_MEMBER),
    A("党员", QY_UK_MEMBER),	       {NULL, 0, 0},
};

static const struct code_name member_kind_names[] = {N("resident", 0), N("employed", 1),
						     N("mobile", 2), N("retired", 3)};
static const char *const member_kind_labels[] = {"居民党员", "在职党员", "流动党员", "离退休党员"};
static const struct alias member_kind_aliases[] = {
    A("居民党员", QY_MK_RESIDENT),  A("直管", QY_MK_RESIDENT),	 A("在职党员", QY_MK_EMPLOYED),
    A("双管", QY_MK_EMPLOYED),	    A("流动党员", QY_MK_MOBILE), A("共管", QY_MK_MOBILE),
    A("离退休党员", QY_MK_RETIRED), A("协管", QY_MK_RETIRED),	 {NULL, 0, 0},
};

#undef A
#undef N

static const struct code_table code_tables[] = {
    [QY_T_CATEGORY] = {"not a category", category_names, category_labels, 6, 0, category_aliases,
		       "expected gov 政务, life 生活, legal 法律, culture 文体, care 关爱, "
		       "party 党员"},
    [QY_T_CATEGORY_ANY] = {"not a category", category_names, category_labels, 7, 0,
			   category_aliases,
			   "expected gov 政务, life 生活, legal 法律, culture 文体, care 关爱, "
			   "party 党员, or any 不限"},
    [QY_T_PRIORITY] = {"not a priority", priority_names, priority_labels, 3, 0, priority_aliases,
		       "expected normal 一般, urgent 紧急, critical 特急, or 1, 2, 3"},
    [QY_T_STATUS] = {"not a status", status_names, status_labels, 4, 0, status_aliases,
		     "expected open 待认领, claimed 已认领, done 已办结, closed 已关闭"},
    [QY_T_SATISFACTION] = {"not a satisfaction rating", satisfaction_names, satisfaction_labels, 5,
			   1, satisfaction_aliases,
			   "expected a whole number 1..5, or 非常满意, 满意, 基本满意, 不满意, "
			   "非常不满意"},
    [QY_T_UNIT_KIND] = {"not a unit kind", unit_kind_names, unit_kind_labels, 5, 0,
			unit_kind_aliases,
			"expected agency 机关, enterprise 企事业单位, social_org 社会组织, "
			"volunteer_team 志愿服务队, member 在职党员"},
    [QY_T_MEMBER_KIND] = {"not a member kind", member_kind_names, member_kind_labels, 4, 0,
			  member_kind_aliases,
			  "expected resident 居民党员, employed 在职党员, mobile 流动党员, "
			  "retired 离退休党员"},
};

static const struct code_table *
code_table(enum qy_type t)
{
	if (t < QY_T_CATEGORY || t > QY_T_MEMBER_KIND)
		return NULL;
	return &code_tables[t];
}

/* The code of a trimmed, folded value, or -1.  Lengths are compared first;
 * the canonical codes are ASCII and match in any case, the aliases exactly. */
static int
code_lookup(enum qy_type t, const struct code_table *ct, const char *s, size_t n)
{
	for (int k = 0; k < ct->ncodes; k++) {
		const struct code_name *a = &ct->names[k];
		if (a->len == n && ascii_caseeq(s, a->text, n))
			return a->code;
	}
	for (const struct alias *a = ct->aliases; a->text != NULL; a++)
		if (a->len == n && memcmp(a->text, s, n) == 0)
			return a->code;
	if (t == QY_T_CATEGORY_ANY)
		for (const struct alias *a = category_any_aliases; a->text != NULL; a++)
			if (a->len == n && memcmp(a->text, s, n) == 0)
				return a->code;
	return -1;
}

int
qy_code_parse(enum qy_type t, const char *p, size_t n)
{
	const struct code_table *ct = code_table(t);
	if (ct == NULL)
		return -1;
	struct folded f;
	folded_init(&f, p, n);
	int code = code_lookup(t, ct, f.v.p, f.v.len);
	folded_free(&f);
	return code;
}

const char *
qy_code_name(enum qy_type t, int code)
{
	const struct code_table *ct = code_table(t);
	/* "any" is named for plain categories too: a name lookup is lenient. */
	int max = t == QY_T_CATEGORY ? 7 : ct != NULL ? ct->ncodes : 0;
	if (ct == NULL || code < ct->first || code >= ct->first + max)
		return NULL;
	return ct->names[code - ct->first].text;
}

const char *
qy_code_label_zh(enum qy_type t, int code)
{
	const struct code_table *ct = code_table(t);
	int max = t == QY_T_CATEGORY ? 7 : ct != NULL ? ct->ncodes : 0;
	if (ct == NULL || code < ct->first || code >= ct->first + max)
		return NULL;
	return ct->labels[code - ct->first];
}

static int
norm_code(enum qy_type t, struct qy_str v, struct qy_str raw, struct qy_buf *out,
	  struct qy_buf *why)
{
	const struct code_table *ct = code_table(t);
	int code = code_lookup(t, ct, v.p, v.len);
	if (code < 0) {
		return reject(why, ct->what, raw, ct->expected);
	}
	const struct code_name *name = &ct->names[code - ct->first];
	append(out, name->text, name->len);
	return 0;
}

/* ---- patterns --------------------------------------------------------- */

/* A keyword pattern is compiled here only to be checked, so without JIT:
 * JIT compilation costs ~15 times the compile itself (~9 µs against ~0.6 µs
 * a pattern), which for a city's 200,000 resources would be most of
 * qy-ingest's time.  qy-match compiles the accepted patterns with JIT. */
/* 1 when a pattern is plain words joined by '|' (the usual 养老|助餐|陪护):
 * valid UTF-8 without \ [ ] ( ) { } ? * +, which always compiles, so the
 * compiler need not be asked. */
static int
plain_alternation(struct qy_str v)
{
	for (size_t i = 0; i < v.len; i++) {
		switch (v.p[i]) {
		case '\\':
		case '[':
		case ']':
		case '(':
		case ')':
		case '{':
		case '}':
		case '?':
		case '*':
		case '+':
			return 0;
		}
	}
	return qy_utf8_valid(v.p, v.len, NULL);
}

static int
norm_pattern(struct qy_str v, struct qy_str raw, struct qy_buf *out, struct qy_buf *why)
{
	if (plain_alternation(v)) {
		append(out, v.p, v.len);
		return 0;
	}
	struct qy_buf detail = {0};
	struct qy_rx *rx = qy_rx_compile(v.p, v.len, QY_RX_CASELESS | QY_RX_NO_JIT, &detail);
	if (rx == NULL) {
		int rc = reject(why, "not a pattern", raw, detail.data);
		qy_buf_free(&detail);
		return rc;
	}
	qy_rx_free(rx);
	append(out, v.p, v.len);
	return 0;
}

/* ---- the one entry point ---------------------------------------------- */

const char *
qy_type_name(enum qy_type t)
{
	static const char *const names[] = {
	    [QY_T_TEXT] = "text",
	    [QY_T_ID] = "id",
	    [QY_T_DATE] = "date",
	    [QY_T_INT] = "integer",
	    [QY_T_DECIMAL] = "decimal",
	    [QY_T_PHONE] = "phone",
	    [QY_T_CATEGORY] = "category",
	    [QY_T_CATEGORY_ANY] = "category",
	    [QY_T_PRIORITY] = "priority",
	    [QY_T_STATUS] = "status",
	    [QY_T_SATISFACTION] = "satisfaction",
	    [QY_T_UNIT_KIND] = "unit kind",
	    [QY_T_MEMBER_KIND] = "member kind",
	    [QY_T_PATTERN] = "pattern",
	};
	if ((unsigned)t >= sizeof names / sizeof names[0])
		return "value";
	return names[t];
}

/* ---- canonical values, recognised first ------------------------------- */

/* For the helpers of qy_value_norm's fast path: a call left there would
 * make it save registers for every value. */
#define ALWAYS_INLINE inline __attribute__((always_inline))

static const uint64_t ONES = 0x0101010101010101ULL;

/* The high bit of each byte of w that is not printable ASCII other than
 * space (0x21..0x7E), some other bits perhaps, or 0.  Byte by byte without
 * carries: a byte's own high bit; (b & 7F) + 1 reaches 80 only from 7F; and
 * (b | 80) - 21 keeps its high bit only from b ≥ 21. */
static inline uint64_t
non_graphic(uint64_t w)
{
	return (w | ((w & ~HIGH_BITS) + ONES) | ~((w | HIGH_BITS) - 0x21 * ONES)) & HIGH_BITS;
}

/* Nonzero when a byte of w is not an ASCII digit: w ^ '0' must leave each
 * byte 0..9, so below 0x10 and still below it after adding 6 (a carry out of
 * a byte happens only where the first test already failed). */
static inline uint64_t
non_digit(uint64_t w)
{
	uint64_t d = w ^ 0x30 * ONES;
	return (d | (d + 6 * ONES)) & 0xF0 * ONES;
}

/* 1 when every byte is printable ASCII other than space (0x21..0x7E): eight
 * at a time, the last eight overlapping the ones before. */
static ALWAYS_INLINE int
all_graphic_ascii(const char *p, size_t n)
{
	if (n < 8) {
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)p[i] <= ' ' || (unsigned char)p[i] >= 0x7F)
				return 0;
		return 1;
	}
	uint64_t bad = non_graphic(load_le64(p + n - 8));
	for (size_t i = 0; i + 8 < n; i += 8)
		bad |= non_graphic(load_le64(p + i));
	return bad == 0;
}

/* all_graphic_ascii for the fast path, which takes only values of up to 16
 * bytes: without a loop, two overlapping words covering every byte. */
static ALWAYS_INLINE int
short_graphic_ascii(const char *p, size_t n)
{
	if (n >= 8 && n <= 16)
		return non_graphic(load_le64(p)) == 0 && non_graphic(load_le64(p + n - 8)) == 0;
	if (n >= 4 && n < 8)
		return non_graphic(load_le32(p) | (uint64_t)load_le32(p + n - 4) << 32) == 0;
	return n < 4 && all_graphic_ascii(p, n);
}

/* 1 when p[0..n), 8 ≤ n ≤ 16, is all ASCII digits: two overlapping words. */
static ALWAYS_INLINE int
all_digits_8_16(const char *p, size_t n)
{
	return (non_digit(load_le64(p)) | non_digit(load_le64(p + n - 8))) == 0;
}

/* 1 when p[0..n) is a date already written as qy writes it: YYYY-MM-DD, a
 * real day, the year 1000 or later (what parse_date and check_ymd would
 * accept).  The shape is one word test: xor with "0000-00-" leaves 0..9
 * where digits go and 0 where dashes go. */
static ALWAYS_INLINE int
canonical_date(const char *p, size_t n)
{
	static const uint64_t shape = 0x2D30302D30303030ULL; /* "0000-00-" */
	static const uint64_t dashes = 0xFF0000FF00000000ULL;
	if (n != 10)
		return 0;
	uint64_t d = load_le64(p) ^ shape;
	uint64_t e = load_le16(p + 8) ^ 0x3030u;
	if (((d | e | (d + 6 * ONES) | (e + 0x0606u)) & 0xF0 * ONES) != 0 || (d & dashes) != 0)
		return 0;
	int m = (int)(d >> 40 & 0xF) * 10 + (int)(d >> 48 & 0xF);
	int day = (int)(e & 0xF) * 10 + (int)(e >> 8);
	if ((d & 0xF) == 0 || m < 1 || m > 12 || day < 1)
		return 0; /* a year below 1000, no such month */
	if (day <= 28)
		return 1;
	long y = (long)(d & 0xF) * 1000 + (long)(d >> 8 & 0xF) * 100 + (long)(d >> 16 & 0xF) * 10 +
		 (long)(d >> 24 & 0xF);
	return day <= days_in_month(y, m);
}

/* 1 when p[0..n) is 1 to 18 ASCII digits, the first not 0; *v gets them. */
static ALWAYS_INLINE int
plain_number(const char *p, size_t n, uint64_t *v)
{
	if (n == 0 || n > 18 || p[0] == '0')
		return 0;
	uint64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit((unsigned char)p[i]))
			return 0;
		x = x * 10 + (uint64_t)(p[i] - '0');
	}
	*v = x;
	return 1;
}

/* 1 when p[0..n) is a whole number in canonical form within lo..hi. */
static ALWAYS_INLINE int
fast_int_ok(const char *p, size_t n, double lo, double hi)
{
	uint64_t v;
	return plain_number(p, n, &v) && int_in_range(v, lo, hi);
}

/* 1 when p[0..n) is a phone already written as qy writes it: a mobile
 * 1[3-9] and 9 digits, or a landline 0 and 9..11 digits not starting 00
 * (which would be the 0086 prefix). */
static ALWAYS_INLINE int
canonical_phone(const char *p, size_t n)
{
	if (n == 11 && p[0] == '1' && p[1] >= '3' && p[1] <= '9')
		return all_digits_8_16(p, n);
	if (n >= 10 && n <= 12 && p[0] == '0' && p[1] != '0')
		return all_digits_8_16(p, n);
	return 0;
}

/* A coded value spelled exactly as its code ("life", "urgent"), or -1.  The
 * value is read once into two NUL-padded words, like the codes' texts, so
 * each code costs a length and one or two word compares. */
static ALWAYS_INLINE int
canonical_code(enum qy_type t, const char *p, size_t n)
{
	const struct code_table *ct = code_table(t);
	if (n > 16)
		return -1;
	uint64_t w0 = n <= 8 ? load_upto8(p, n) : load_le64(p);
	uint64_t w1 = n <= 8 ? 0 : load_upto8(p + 8, n - 8);
	for (int k = 0; k < ct->ncodes; k++) {
		const struct code_name *a = &ct->names[k];
		/* The first word alone rules out the other codes. */
		if (load_le64(a->text) == w0 && a->len == n && load_le64(a->text + 8) == w1)
			return k;
	}
	return -1;
}

/* Most values of an export are in canonical form already: those are
 * recognised here without trimming, folding or a general parser, and are
 * written as they are, which is what the general path would write.
 * Returns 1 for such a value, 0 when the general path must run (for every
 * failure too: it says why).  No calls: see qy_value_norm. */
static ALWAYS_INLINE int
is_canonical(enum qy_type t, const char *p, size_t n, double lo, double hi)
{
	switch (t) {
	case QY_T_ID:
		return all_graphic_ascii(p, n);
	case QY_T_DATE:
		return canonical_date(p, n);
	case QY_T_INT:
		return fast_int_ok(p, n, lo, hi);
	case QY_T_PHONE:
		return canonical_phone(p, n);
	case QY_T_CATEGORY:
	case QY_T_CATEGORY_ANY:
	case QY_T_PRIORITY:
	case QY_T_STATUS:
	case QY_T_SATISFACTION:
	case QY_T_UNIT_KIND:
	case QY_T_MEMBER_KIND:
		return canonical_code(t, p, n) >= 0;
	default:
		return 0;
	}
}

/* Every value the fast paths of qy_value_norm do not take.  Kept out of
 * line: its stack buffer (struct folded) need not be set up for those. */
static __attribute__((noinline)) int
norm_general(enum qy_type t, const char *p, size_t n, double lo, double hi, struct qy_buf *out,
	     struct qy_buf *why)
{
	if (t == QY_T_TEXT) {
		struct qy_str v = qy_trim(p, n);
		append(out, v.p, v.len);
		return 0;
	}
	if (t == QY_T_ID) {
		struct qy_str v = qy_trim(p, n);
		return v.len == 0 ? 0 : norm_id(v, out, why);
	}
	struct folded f;
	folded_init(&f, p, n);
	int rc = 0;
	if (f.v.len == 0) {
		folded_free(&f);
		return 0;
	}
	switch (t) {
	case QY_T_DATE:
		rc = norm_date(f.v, f.raw, out, why);
		break;
	case QY_T_INT:
		rc = norm_int(f.v, f.raw, lo, hi, out, why);
		break;
	case QY_T_DECIMAL:
		rc = norm_decimal(f.v, f.raw, lo, hi, out, why);
		break;
	case QY_T_PHONE:
		rc = norm_phone(f.v, f.raw, out, why);
		break;
	case QY_T_CATEGORY:
	case QY_T_CATEGORY_ANY:
	case QY_T_PRIORITY:
	case QY_T_STATUS:
	case QY_T_SATISFACTION:
	case QY_T_UNIT_KIND:
	case QY_T_MEMBER_KIND:
		rc = norm_code(t, f.v, f.raw, out, why);
		break;
	case QY_T_PATTERN:
		rc = norm_pattern(f.v, f.raw, out, why);
		break;
	default:
		append(out, f.raw.p, f.raw.len);
		break;
	}
	folded_free(&f);
	return rc;
}

/* qy_value_norm when the short fast path did not take the value: a long
 * canonical value, or a buffer without the room. */
static __attribute__((noinline)) int
norm_slow(enum qy_type t, const char *p, size_t n, double lo, double hi, struct qy_buf *out,
	  struct qy_buf *why)
{
	if (t != QY_T_TEXT && is_canonical(t, p, n, lo, hi)) {
		append(out, p, n);
		return 0;
	}
	return norm_general(t, p, n, lo, hi, out, why);
}

/* Writes a short value to b when b has the room (16 bytes and a NUL):
 * without a call.  Returns 1 when it did. */
static ALWAYS_INLINE int
put_short(struct qy_buf *b, const char *p, size_t n)
{
	size_t len = b->len;
	if (n > 16 || b->cap - len <= 16)
		return 0;
	/* In locals: the stores through d could alias b as far as the
	 * compiler knows, and would make it reload b->data and b->len. */
	char *d = b->data + len;
	copy_short(d, p, n);
	d[n] = '\0';
	b->len = len + n;
	return 1;
}

/* One fast path per type, each reached by a tail call and making none
 * itself unless the value is not canonical: so each saves only the
 * registers its own test needs.  They share qy_value_norm's signature, so
 * the calls into and out of them are plain jumps. */
#define FAST_PATH(name, test)                                                                      \
	static __attribute__((noinline)) int name(enum qy_type t, const char *p, size_t n,         \
						  double lo, double hi, struct qy_buf *out,        \
						  struct qy_buf *why)                              \
	{                                                                                          \
		if ((test) && put_short(out, p, n))                                                \
			return 0;                                                                  \
		return norm_slow(t, p, n, lo, hi, out, why);                                       \
	}

FAST_PATH(fast_id, short_graphic_ascii(p, n))
FAST_PATH(fast_date, canonical_date(p, n))
FAST_PATH(fast_int, fast_int_ok(p, n, lo, hi))
FAST_PATH(fast_phone, canonical_phone(p, n))
/* One per coded type: its table a constant, the search over it unrolled. */
FAST_PATH(fast_category, canonical_code(QY_T_CATEGORY, p, n) >= 0)
FAST_PATH(fast_category_any, canonical_code(QY_T_CATEGORY_ANY, p, n) >= 0)
FAST_PATH(fast_priority, canonical_code(QY_T_PRIORITY, p, n) >= 0)
FAST_PATH(fast_status, canonical_code(QY_T_STATUS, p, n) >= 0)
FAST_PATH(fast_satisfaction, canonical_code(QY_T_SATISFACTION, p, n) >= 0)
FAST_PATH(fast_unit_kind, canonical_code(QY_T_UNIT_KIND, p, n) >= 0)
FAST_PATH(fast_member_kind, canonical_code(QY_T_MEMBER_KIND, p, n) >= 0)

#undef FAST_PATH

/* Every type's entry; the address taken, a fast path keeps qy_value_norm's
 * signature (a direct call would let the compiler drop t, and the dispatch
 * shuffle the arguments). */
typedef int norm_fn(enum qy_type, const char *, size_t, double, double, struct qy_buf *,
		    struct qy_buf *);
static norm_fn *const norm_of[] = {
    [QY_T_TEXT] = norm_general,
    [QY_T_ID] = fast_id,
    [QY_T_DATE] = fast_date,
    [QY_T_INT] = fast_int,
    [QY_T_DECIMAL] = norm_general,
    [QY_T_PHONE] = fast_phone,
    [QY_T_CATEGORY] = fast_category,
    [QY_T_CATEGORY_ANY] = fast_category_any,
    [QY_T_PRIORITY] = fast_priority,
    [QY_T_STATUS] = fast_status,
    [QY_T_SATISFACTION] = fast_satisfaction,
    [QY_T_UNIT_KIND] = fast_unit_kind,
    [QY_T_MEMBER_KIND] = fast_member_kind,
    [QY_T_PATTERN] = norm_general,
};

int
qy_value_norm(enum qy_type t, const char *p, size_t n, double lo, double hi, struct qy_buf *out,
	      struct qy_buf *why)
{
	if (n == 0)
		return 0; /* every type: empty is a success with nothing appended */
	if ((unsigned)t >= sizeof norm_of / sizeof norm_of[0])
		return norm_general(t, p, n, lo, hi, out, why);
	return norm_of[t](t, p, n, lo, hi, out, why);
}
