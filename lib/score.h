/* score.h — qy-score's engine (SPEC 5): the vanguard index per member and
 * the bastion index per branch.
 *
 * One qy_score holds a record per member and per branch and nothing per
 * activity row: rows are classified (each distinct kind text once, see
 * rules.h), checked and added into per-member, per-month, per-kind sums as
 * they stream by.  Use:
 *
 *	s = qy_score_new(&opts);
 *	qy_score_read_branches(s, path);   -b, optional, first
 *	qy_score_read_members(s, path);    -m, optional, next
 *	qy_score_read_demands(s, path);    -d, optional
 *	qy_score_read_activity(s, path);   once per activity input
 *	qy_score_write(s, out);
 *	qy_score_free(s);
 *
 * Data problems are reported through opts.diag (FILE:LINE) and the rows
 * skipped; unreadable inputs and missing columns are fatal. */
#ifndef QY_SCORE_H
#define QY_SCORE_H

#include "rules.h"

struct qy_diag;
struct qy_out;

/* The period of a run: whole days from..to.  Dates are kept as
 * y*10000+m*100+d (ordered like the dates) and months as y*12+m-1. */
struct qy_period {
	long from_ymd, to_ymd;
	long first_month, last_month;
	long months; /* calendar months the period overlaps, each counted whole */
	/* The org-life look-back: a quarterly kind is met by an event anywhere
	 * in a quarter that ends inside the period, so branch events are read
	 * from the first month of the earliest such quarter. */
	long window_month;
	long window_ymd;
};

/* The longest period qy-score accepts (ten years). */
enum { QY_PERIOD_MAX_MONTHS = 120 };

/* Sets p to y1-m1-d1 .. y2-m2-d2.  Returns -1 when a date is not a real day
 * or from > to. */
int qy_period_set(struct qy_period *p, int y1, int m1, int d1, int y2, int m2, int d2);
/* The calendar month y-m. */
int qy_period_month(struct qy_period *p, int y, int m);
/* 1 when the calendar quarter ending in month e (y*12+m-1, m = 3, 6, 9, 12)
 * ends inside the period. */
int qy_period_quarter_due(const struct qy_period *p, long e);

struct qy_score_opts {
	enum qy_level level;
	struct qy_period period;
	const struct qy_rules *rules;
	struct qy_diag *diag;
};

struct qy_score;

struct qy_score *qy_score_new(const struct qy_score_opts *opts);
void qy_score_read_branches(struct qy_score *s, const char *path);
void qy_score_read_members(struct qy_score *s, const char *path);
void qy_score_read_demands(struct qy_score *s, const char *path);
void qy_score_read_activity(struct qy_score *s, const char *path);
/* Computes and writes the member or branch table. */
void qy_score_write(struct qy_score *s, struct qy_out *o);
void qy_score_free(struct qy_score *s);

/* Kind texts run through the patterns so far (a test checks that each
 * distinct text costs one classification). */
unsigned long qy_score_classified(const struct qy_score *s);

#endif
