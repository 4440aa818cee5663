/* report_demand.h — the demand section's aggregates (report_demand.c reads,
 * report_demand_tab.c turns them into tables). */
#ifndef QY_REPORT_DEMAND_H
#define QY_REPORT_DEMAND_H

#include <stdint.h>

#include "report_int.h"
#include "value.h"

enum { QY_NCAT = 6 }; /* the six services; "any" is no demand's category */

/* The counts of one group (or of the whole). */
struct qy_dstats {
	uint64_t received, open, claimed, done, closed;
	uint64_t overdue;
	int64_t days_sum; /* done_date − submitted over done demands with a done_date */
	uint64_t days_n;
	uint64_t sat_sum, sat_n, sat_good; /* satisfaction over rated demands; good: ≥ 4 */
};

/* Where the columns a demand row needs are (-1: not in the header). */
struct qy_dcols {
	int submitted, street, community, category, status, needed_by, done_date, satisfaction;
	int priority;
	int id, content, requester, phone; /* only for the escalation list */
	int by[QY_REPORT_MAX_BY];
	int by_type[QY_REPORT_MAX_BY]; /* QY_T_CATEGORY, _STATUS, _PRIORITY, or -1: text */
	size_t nby;
	/* When every --by column is street, community or a coded column, a
	 * row's group follows from its community and codes: it is looked up
	 * once per (community, codes) and remembered. */
	int by_cached;
	int by_cat, by_status, by_priority; /* which codes the groups depend on */
	size_t by_stride;		    /* code combinations per community */
};

/* The aggregate of some demand rows.  Keys are length-prefixed segments
 * (4-byte length, then the bytes), so any value, TABs and all, is a key. */
struct qy_dagg {
	struct qy_strmap groups; /* the --by tuple */
	struct qy_dstats *gstats;
	struct qy_strmap comms; /* (street, community) */
	uint64_t *ccount;
	uint64_t cat[QY_NCAT];
	struct qy_dstats total;
};

void qy_dagg_free(struct qy_dagg *a);
/* Adds b into a. */
void qy_dagg_merge(struct qy_dagg *a, const struct qy_dagg *b);
/* Appends the segment p (n bytes) to a key. */
void qy_key_add(struct qy_buf *key, const char *p, size_t n);
/* The i-th segment of a key. */
struct qy_str qy_key_part(const char *key, size_t len, size_t i);

/* The tables of the demand section. */
void qy_demand_tables(const struct qy_report_opts *o, const struct qy_dagg *a,
		      const char *const *by, const struct qy_dcols *c, struct qy_tabs *out);

#endif
