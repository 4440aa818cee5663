/* score_num.h — the exact arithmetic of qy-score (SPEC 5).
 *
 * SPEC 5 rounds "half-up to one decimal from the exact value".  Binary
 * floating point cannot hold 0.05 or 2.35, so qy-score never uses it: points
 * and caps are fixed-point integers, hours are fixed-point integers, and every
 * quotient (an index, a mean, a share) is a rational that is rounded once, at
 * the end, to tenths.
 *
 * Scales:
 *   rule points and caps   ×100        (two decimals: 2.5 → 250)
 *   hours                  ×1000000    (six decimals: 1.25 → 1250000)
 *   an amount of points    ×100000000  (points × hours, or points × 1000000
 *                                       for a per-event rule)
 *
 * Rounding is half away from zero (四舍五入): 2.25 → 2.3, -2.25 → -2.3. */
#ifndef QY_SCORE_NUM_H
#define QY_SCORE_NUM_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define QY_POINTS_SCALE 100LL
#define QY_HOURS_SCALE 1000000LL
#define QY_AMOUNT_SCALE (QY_POINTS_SCALE * QY_HOURS_SCALE)

/* Limits that keep every sum far from overflow. */
#define QY_POINTS_MAX (10000LL * QY_POINTS_SCALE)
#define QY_HOURS_MAX (24LL * QY_HOURS_SCALE)

__extension__ typedef __int128 qy_wide;

/* Parses a signed decimal with at most two decimals ("-5", "2.5", "0.25")
 * into ×100 fixed point, |value| ≤ 10000.  Returns 0, or -1 with a reason
 * (quoting the value) in why. */
int qy_points_parse(const char *p, size_t n, long long *v, struct qy_buf *why);

/* Parses hours: digits with at most one '.' inside and at most six decimals,
 * 0 ≤ value ≤ 24, into ×1000000 fixed point.  Only the canonical qy-TSV form
 * (ASCII, trimmed); returns -1 with a reason otherwise. */
int qy_hours_parse(const char *p, size_t n, long long *v, struct qy_buf *why);

/* Writes a ×100 fixed-point value as the shortest exact decimal: 500 → "5",
 * -250 → "-2.5", 25 → "0.25". */
void qy_points_format(struct qy_buf *b, long long v);

/* num / den rounded half away from zero to an integer; den > 0. */
long long qy_round_div(qy_wide num, qy_wide den);

/* num / den rounded to tenths (the result is in tenths: 2.35 → 24). */
static inline long long
qy_round_tenths(qy_wide num, qy_wide den)
{
	return qy_round_div(num * 10, den);
}

/* Writes tenths as a decimal with exactly one decimal: 24 → "2.4",
 * -5 → "-0.5", 0 → "0.0".  buf needs 24 bytes; returns the length. */
size_t qy_tenths_format(long long tenths, char *buf);

/* a + b, saturating at ±QY_SUM_LIMIT instead of overflowing. */
#define QY_SUM_LIMIT (INT64_MAX / 4)
static inline long long
qy_sat_add(long long a, long long b)
{
	long long s;
	if (__builtin_add_overflow(a, b, &s))
		return a > 0 ? QY_SUM_LIMIT : -QY_SUM_LIMIT;
	if (s > QY_SUM_LIMIT)
		return QY_SUM_LIMIT;
	if (s < -QY_SUM_LIMIT)
		return -QY_SUM_LIMIT;
	return s;
}

/* An exact non-negative or negative fraction n/d, d > 0, kept reduced. */
struct qy_rat {
	qy_wide n, d;
};

struct qy_rat qy_rat_make(qy_wide n, qy_wide d);
struct qy_rat qy_rat_add(struct qy_rat a, struct qy_rat b);
struct qy_rat qy_rat_mul(struct qy_rat a, struct qy_rat b);
struct qy_rat qy_rat_div(struct qy_rat a, struct qy_rat b); /* b ≠ 0 */
/* clamp to [lo, hi] (integers) */
struct qy_rat qy_rat_clamp(struct qy_rat a, long long lo, long long hi);
static inline long long
qy_rat_tenths(struct qy_rat a)
{
	return qy_round_tenths(a.n, a.d);
}

/* The five-star band of an index in tenths: ≥ 90 → 5, ≥ 80 → 4, ≥ 70 → 3,
 * ≥ 60 → 2, else 1. */
int qy_stars(long long index_tenths);
/* The bastion grade: ≥ 90 'A', ≥ 75 'B', ≥ 60 'C', else 'D'. */
char qy_grade(long long index_tenths);

#endif
