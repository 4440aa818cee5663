/* score_num.c — exact fixed-point and rational arithmetic for qy-score. */
#include "score_num.h"

#include <string.h>

/* Parses digits[.digits] with at most max_decimals decimals into an integer
 * scaled by 10^max_decimals.  Returns 0, or -1 when the shape is wrong or
 * the value exceeds limit. */
static int
parse_fixed(const char *p, size_t n, int max_decimals, long long limit, long long *v)
{
	long long whole = 0, frac = 0;
	size_t i = 0;
	int int_digits = 0, decimals = 0;
	while (i < n && p[i] >= '0' && p[i] <= '9') {
		if (whole > limit)
			return -1;
		whole = whole * 10 + (p[i] - '0');
		int_digits++;
		i++;
	}
	if (int_digits == 0)
		return -1;
	if (i < n && p[i] == '.') {
		i++;
		while (i < n && p[i] >= '0' && p[i] <= '9') {
			if (decimals == max_decimals)
				return -1;
			frac = frac * 10 + (p[i] - '0');
			decimals++;
			i++;
		}
		if (decimals == 0)
			return -1;
	}
	if (i != n)
		return -1;
	long long scale = 1;
	for (int k = 0; k < max_decimals; k++)
		scale *= 10;
	for (int k = decimals; k < max_decimals; k++)
		frac *= 10;
	if (whole > limit / scale)
		return -1;
	*v = whole * scale + frac;
	return *v > limit ? -1 : 0;
}

int
qy_points_parse(const char *p, size_t n, long long *v, struct qy_buf *why)
{
	int neg = n > 0 && p[0] == '-';
	if (parse_fixed(p + neg, n - (size_t)neg, 2, QY_POINTS_MAX, v) != 0) {
		qy_buf_add_quoted(why, p, n);
		qy_buf_adds(why, " is not a number of points (like 5, -30 or 2.5: at most two "
				 "decimals, -10000..10000)");
		return -1;
	}
	if (neg)
		*v = -*v;
	return 0;
}

int
qy_hours_parse(const char *p, size_t n, long long *v, struct qy_buf *why)
{
	if (parse_fixed(p, n, 6, QY_HOURS_MAX, v) != 0) {
		qy_buf_add_quoted(why, p, n);
		qy_buf_adds(why,
			    " is not a number of hours (a decimal 0..24, at most six decimals)");
		return -1;
	}
	return 0;
}

void
qy_points_format(struct qy_buf *b, long long v)
{
	if (v < 0) {
		qy_buf_addc(b, '-');
		v = -v;
	}
	qy_buf_printf(b, "%lld", v / QY_POINTS_SCALE);
	long long frac = v % QY_POINTS_SCALE;
	if (frac == 0)
		return;
	if (frac % 10 == 0)
		qy_buf_printf(b, ".%lld", frac / 10);
	else
		qy_buf_printf(b, ".%02lld", frac);
}

long long
qy_round_div(qy_wide num, qy_wide den)
{
	/* floor((2|num| + den) / 2den) is |num|/den rounded half up. */
	qy_wide a = num < 0 ? -num : num;
	qy_wide q = (2 * a + den) / (2 * den);
	return (long long)(num < 0 ? -q : q);
}

size_t
qy_tenths_format(long long tenths, char *buf)
{
	char tmp[24];
	size_t n = 0;
	unsigned long long a =
	    tenths < 0 ? 0ULL - (unsigned long long)tenths : (unsigned long long)tenths;
	tmp[n++] = (char)('0' + a % 10);
	tmp[n++] = '.';
	a /= 10;
	do {
		tmp[n++] = (char)('0' + a % 10);
		a /= 10;
	} while (a > 0);
	if (tenths < 0)
		tmp[n++] = '-';
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

static qy_wide
gcd(qy_wide a, qy_wide b)
{
	if (a < 0)
		a = -a;
	while (b != 0) {
		qy_wide t = a % b;
		a = b;
		b = t;
	}
	return a;
}

struct qy_rat
qy_rat_make(qy_wide n, qy_wide d)
{
	if (d < 0) {
		n = -n;
		d = -d;
	}
	qy_wide g = gcd(n, d);
	if (g > 1) {
		n /= g;
		d /= g;
	}
	struct qy_rat r = {n, d};
	return r;
}

struct qy_rat
qy_rat_add(struct qy_rat a, struct qy_rat b)
{
	qy_wide g = gcd(a.d, b.d);
	return qy_rat_make(a.n * (b.d / g) + b.n * (a.d / g), a.d / g * b.d);
}

struct qy_rat
qy_rat_mul(struct qy_rat a, struct qy_rat b)
{
	struct qy_rat x = qy_rat_make(a.n, b.d), y = qy_rat_make(b.n, a.d);
	return qy_rat_make(x.n * y.n, x.d * y.d);
}

struct qy_rat
qy_rat_div(struct qy_rat a, struct qy_rat b)
{
	struct qy_rat inv = qy_rat_make(b.d, b.n);
	return qy_rat_mul(a, inv);
}

struct qy_rat
qy_rat_clamp(struct qy_rat a, long long lo, long long hi)
{
	if (a.n < (qy_wide)lo * a.d)
		return qy_rat_make(lo, 1);
	if (a.n > (qy_wide)hi * a.d)
		return qy_rat_make(hi, 1);
	return a;
}

int
qy_stars(long long index_tenths)
{
	if (index_tenths >= 900)
		return 5;
	if (index_tenths >= 800)
		return 4;
	if (index_tenths >= 700)
		return 3;
	if (index_tenths >= 600)
		return 2;
	return 1;
}

char
qy_grade(long long index_tenths)
{
	if (index_tenths >= 900)
		return 'A';
	if (index_tenths >= 750)
		return 'B';
	if (index_tenths >= 600)
		return 'C';
	return 'D';
}
