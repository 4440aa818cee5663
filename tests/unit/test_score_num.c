/* test_score_num.c — qy-score's exact arithmetic: fixed-point parsing,
 * half-up rounding at the .x5 boundaries, rationals, bands. */
#include <stdlib.h>

#include "check.h"
#include "score_num.h"

static long long
points(const char *s)
{
	long long v = -999999999;
	struct qy_buf why = {0};
	if (qy_points_parse(s, strlen(s), &v, &why) != 0)
		v = -999999999;
	qy_buf_free(&why);
	return v;
}

static long long
hours(const char *s)
{
	long long v = -1;
	struct qy_buf why = {0};
	if (qy_hours_parse(s, strlen(s), &v, &why) != 0)
		v = -1;
	qy_buf_free(&why);
	return v;
}

static void
test_points_parse(void)
{
	CHECK(points("5") == 500);
	CHECK(points("-30") == -3000);
	CHECK(points("2.5") == 250);
	CHECK(points("0.25") == 25);
	CHECK(points("-0.05") == -5);
	CHECK(points("10000") == 1000000);
	CHECK(points("-10000") == -1000000);
	/* refused: three decimals, over the limit, not a number, empty parts */
	CHECK(points("0.125") == -999999999);
	CHECK(points("10000.01") == -999999999);
	CHECK(points("5x") == -999999999);
	CHECK(points("") == -999999999);
	CHECK(points("-") == -999999999);
	CHECK(points(".5") == -999999999);
	CHECK(points("5.") == -999999999);
	CHECK(points("+5") == -999999999);
	CHECK(points("99999999999999999999999") == -999999999);
	struct qy_buf why = {0};
	long long v;
	CHECK(qy_points_parse("abc", 3, &v, &why) == -1);
	CHECK_STR(why.data, "'abc' is not a number of points (like 5, -30 or 2.5: at most two "
			    "decimals, -10000..10000)");
	qy_buf_free(&why);
}

static void
test_hours_parse(void)
{
	CHECK(hours("0") == 0);
	CHECK(hours("1.5") == 1500000);
	CHECK(hours("0.000001") == 1);
	CHECK(hours("24") == 24000000);
	CHECK(hours("24.000000") == 24000000);
	CHECK(hours("24.000001") == -1); /* over 24 */
	CHECK(hours("25") == -1);
	CHECK(hours("-1") == -1);	 /* no sign */
	CHECK(hours("0.0000001") == -1); /* seven decimals */
	CHECK(hours("1,5") == -1);
	CHECK(hours(" 1") == -1); /* canonical only: value.h trims */
}

static void
test_points_format(void)
{
	static const struct {
		long long v;
		const char *want;
	} cases[] = {
	    {500, "5"},	   {-3000, "-30"}, {250, "2.5"},   {25, "0.25"},
	    {-5, "-0.05"}, {0, "0"},	   {-250, "-2.5"}, {1000000, "10000"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct qy_buf b = {0};
		qy_points_format(&b, cases[i].v);
		CHECK_STR(b.data, cases[i].want);
		qy_buf_free(&b);
	}
}

static void
test_round_half_up(void)
{
	/* Halves go away from zero, from the exact value. */
	CHECK(qy_round_tenths(225, 100) == 23);	  /* 2.25 → 2.3 */
	CHECK(qy_round_tenths(215, 100) == 22);	  /* 2.15 → 2.2 (2.15 is 2.1499… as a double) */
	CHECK(qy_round_tenths(5, 100) == 1);	  /* 0.05 → 0.1 */
	CHECK(qy_round_tenths(-225, 100) == -23); /* -2.25 → -2.3 */
	CHECK(qy_round_tenths(-5, 100) == -1);	  /* -0.05 → -0.1 */
	CHECK(qy_round_tenths(224, 100) == 22);	  /* 2.24 → 2.2 */
	CHECK(qy_round_tenths(-224, 100) == -22);
	CHECK(qy_round_tenths(1, 3) == 3);	  /* 0.333… → 0.3 */
	CHECK(qy_round_tenths(2, 3) == 7);	  /* 0.666… → 0.7 */
	CHECK(qy_round_tenths(1005, 10) == 1005); /* 100.5 exactly */
	/* 10.05 = 201/20 → 10.1; 1.005 is below the tenth boundary → 1.0 */
	CHECK(qy_round_tenths(201, 20) == 101);
	CHECK(qy_round_tenths(201, 200) == 10);
	/* a tenth off by one part in 10^17 still rounds correctly */
	qy_wide big = (qy_wide)100000000000000000LL;
	CHECK(qy_round_tenths(big * 5 - 1, big * 100) == 0); /* 0.04999… → 0.0 */
	CHECK(qy_round_tenths(big * 5, big * 100) == 1);     /* 0.05 → 0.1 */
}

static void
test_tenths_format(void)
{
	char b[24];
	qy_tenths_format(24, b);
	CHECK_STR(b, "2.4");
	qy_tenths_format(-5, b);
	CHECK_STR(b, "-0.5");
	qy_tenths_format(0, b);
	CHECK_STR(b, "0.0");
	qy_tenths_format(1000, b);
	CHECK_STR(b, "100.0");
	qy_tenths_format(-1234567, b);
	CHECK_STR(b, "-123456.7");
}

static void
test_rationals(void)
{
	struct qy_rat a = qy_rat_make(2, 4);
	CHECK(a.n == 1 && a.d == 2);
	struct qy_rat b = qy_rat_make(3, -9);
	CHECK(b.n == -1 && b.d == 3);
	struct qy_rat s = qy_rat_add(a, b); /* 1/2 - 1/3 = 1/6 */
	CHECK(s.n == 1 && s.d == 6);
	struct qy_rat p = qy_rat_mul(qy_rat_make(60, 1), qy_rat_make(3, 4)); /* 45 */
	CHECK(p.n == 45 && p.d == 1);
	struct qy_rat q = qy_rat_div(qy_rat_make(1, 2), qy_rat_make(3, 4)); /* 2/3 */
	CHECK(q.n == 2 && q.d == 3);
	CHECK(qy_rat_tenths(qy_rat_clamp(qy_rat_make(-7, 3), 0, 100)) == 0);
	CHECK(qy_rat_tenths(qy_rat_clamp(qy_rat_make(1001, 10), 0, 100)) == 1000);
	CHECK(qy_rat_tenths(qy_rat_clamp(qy_rat_make(2, 3), 0, 100)) == 7);
}

static void
test_bands(void)
{
	CHECK(qy_stars(1000) == 5);
	CHECK(qy_stars(900) == 5);
	CHECK(qy_stars(899) == 4);
	CHECK(qy_stars(800) == 4);
	CHECK(qy_stars(799) == 3);
	CHECK(qy_stars(700) == 3);
	CHECK(qy_stars(699) == 2);
	CHECK(qy_stars(600) == 2);
	CHECK(qy_stars(599) == 1);
	CHECK(qy_stars(0) == 1);
	CHECK(qy_grade(900) == 'A');
	CHECK(qy_grade(899) == 'B');
	CHECK(qy_grade(750) == 'B');
	CHECK(qy_grade(749) == 'C');
	CHECK(qy_grade(600) == 'C');
	CHECK(qy_grade(599) == 'D');
}

static void
test_saturation(void)
{
	CHECK(qy_sat_add(1, 2) == 3);
	CHECK(qy_sat_add(QY_SUM_LIMIT, 1) == QY_SUM_LIMIT);
	CHECK(qy_sat_add(-QY_SUM_LIMIT, -1) == -QY_SUM_LIMIT);
	CHECK(qy_sat_add(INT64_MAX, INT64_MAX) == QY_SUM_LIMIT);
	CHECK(qy_sat_add(INT64_MIN, INT64_MIN) == -QY_SUM_LIMIT);
	CHECK(qy_sat_add(QY_SUM_LIMIT, -QY_SUM_LIMIT) == 0);
}

int
main(void)
{
	RUN(test_points_parse);
	RUN(test_hours_parse);
	RUN(test_points_format);
	RUN(test_round_half_up);
	RUN(test_tenths_format);
	RUN(test_rationals);
	RUN(test_bands);
	RUN(test_saturation);
	return check_report();
}
