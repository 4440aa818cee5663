/* report_demand.c — the demand section's scan: every demand row, checked
 * in the columns the section uses, counted into its group.
 *
 * This is the one part of qy-report that meets a city's whole month (SPEC 8),
 * so it streams (memory: the groups and communities, nothing per row) and a
 * regular file is split at a line boundary into two halves that two
 * threads read with lib/tsv.c's range readers.  The halves' aggregates are sums,
 * merged exactly; their problems are printed in line order afterwards, so
 * the output and the messages are the same whatever the number of threads.
 * Standard input goes through lib/tsv.c. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "report_demand.h"
#include "tsv.h"

enum {
	SPLIT_MIN = 8 << 20, /* bytes: smaller files are not worth a thread */
	BUFFERED_PROBLEMS = 10000,
};

/* A problem found by a thread, printed after the join. */
struct held_problem {
	unsigned long line; /* within the thread's range, 1 = its first line */
	const char *col;    /* static, or NULL */
	char *msg;
};

/* An escalated demand's details found by the scan. */
struct held_hit {
	long idx;
	char *content, *requester, *phone;
};

/* The first day and length of a month, by its "YYYY-MM-" prefix: most
 * dates of a month's demands fall in a handful of months, and this saves
 * the calendar arithmetic on every one. */
struct month_cache {
	uint64_t prefix; /* the 8 bytes "YYYY-MM-"; 0 when empty */
	qy_day first;
	int days, year, month;
};

/* One scan's state: its aggregate and what it holds for later. */
struct dscan {
	const struct qy_dcols *c;
	const struct qy_report_opts *o;
	const struct qy_escal *escal;
	struct qy_dagg agg;
	unsigned long rows, skipped, filtered;
	struct held_problem *probs;
	size_t nprobs, probcap;
	struct held_hit *hits;
	size_t nhits, hitcap;
	struct qy_buf key, why;
	/* With qy_dcols.by_cached: group + 1 per (community, code combination),
	 * 0 while unknown. */
	uint32_t *comm_group;
	size_t comm_group_cap;
	struct month_cache months[64];
};

/* A demand row's checked values. */
struct drow {
	qy_day submitted, needed_by, done_date;
	int has_needed_by, has_done_date;
	int category, status, satisfaction; /* satisfaction 0: not rated */
	int priority;			    /* only when a --by column is priority */
};

static void
hold_problem(struct dscan *s, unsigned long line, const char *col, const char *msg)
{
	s->skipped++;
	if (s->nprobs == BUFFERED_PROBLEMS)
		return; /* counted; never shown (only the first ones are) */
	if (s->nprobs == s->probcap) {
		s->probcap = s->probcap ? 2 * s->probcap : 64;
		s->probs = qy_xrealloc(s->probs, s->probcap * sizeof *s->probs);
	}
	s->probs[s->nprobs++] = (struct held_problem){line, col, qy_xstrdup(msg)};
}

static int
ascii_eq(const struct qy_str *v, const char *s, size_t n)
{
	return v->len == n && memcmp(v->p, s, n) == 0;
}

/* The category code: canonical spellings first, then every alias. */
static int
parse_category(const struct qy_str *v)
{
	switch (v->len) {
	case 3:
		if (ascii_eq(v, "gov", 3))
			return QY_CAT_GOV;
		break;
	case 4:
		if (ascii_eq(v, "life", 4))
			return QY_CAT_LIFE;
		if (ascii_eq(v, "care", 4))
			return QY_CAT_CARE;
		break;
	case 5:
		if (ascii_eq(v, "legal", 5))
			return QY_CAT_LEGAL;
		if (ascii_eq(v, "party", 5))
			return QY_CAT_PARTY;
		break;
	case 7:
		if (ascii_eq(v, "culture", 7))
			return QY_CAT_CULTURE;
		break;
	}
	int code = qy_code_parse(QY_T_CATEGORY, v->p, v->len);
	return code >= 0 && code < QY_NCAT ? code : -1;
}

static int
parse_status(const struct qy_str *v)
{
	if (v->len == 0 || ascii_eq(v, "open", 4))
		return QY_ST_OPEN;
	if (ascii_eq(v, "done", 4))
		return QY_ST_DONE;
	if (ascii_eq(v, "claimed", 7))
		return QY_ST_CLAIMED;
	if (ascii_eq(v, "closed", 6))
		return QY_ST_CLOSED;
	return qy_code_parse(QY_T_STATUS, v->p, v->len);
}

static int
parse_priority(const struct qy_str *v)
{
	if (v->len == 0 || ascii_eq(v, "normal", 6))
		return QY_PRI_NORMAL;
	if (ascii_eq(v, "urgent", 6))
		return QY_PRI_URGENT;
	if (ascii_eq(v, "critical", 8))
		return QY_PRI_CRITICAL;
	return qy_code_parse(QY_T_PRIORITY, v->p, v->len);
}

static int
parse_satisfaction(const struct qy_str *v)
{
	if (v->len == 0)
		return 0;
	if (v->len == 1 && v->p[0] >= '1' && v->p[0] <= '5')
		return v->p[0] - '0';
	return qy_code_parse(QY_T_SATISFACTION, v->p, v->len);
}

static int
bad_value(struct dscan *s, unsigned long line, const char *col, const struct qy_str *v,
	  const char *expected)
{
	qy_buf_reset(&s->why);
	if (v->len == 0) {
		qy_buf_printf(&s->why, "empty, expected %s", expected);
	} else {
		qy_buf_add_quoted(&s->why, v->p, v->len);
		qy_buf_printf(&s->why, ": not %s", expected);
	}
	hold_problem(s, line, col, s->why.data);
	return -1;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The cache entry of a canonical date's month, or NULL for anything else
 * (not YYYY-MM-DD, or not a real month). */
static const struct month_cache *
month_of(struct dscan *s, const char *p)
{
	uint64_t prefix;
	memcpy(&prefix, p, 8);
	struct month_cache *m = &s->months[(prefix * 0x9e3779b97f4a7c15ULL) >> 58];
	if (m->prefix == prefix)
		return m;
	for (int i = 0; i < 7; i++)
		if (i != 4 && !is_digit(p[i]))
			return NULL;
	int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
	int mo = (p[5] - '0') * 10 + (p[6] - '0');
	qy_day first, day;
	if (qy_date_from_ymd(y, mo, 1, &first) != 0)
		return NULL;
	int days = 28;
	while (days < 31 && qy_date_from_ymd(y, mo, days + 1, &day) == 0)
		days++;
	*m = (struct month_cache){prefix, first, days, y, mo};
	return m;
}

/* A date: YYYY-MM-DD through the month cache, anything else the long way.
 * *ym gets year * 12 + month - 1 (for --month). */
static int
parse_date(struct dscan *s, const struct qy_str *v, qy_day *day, int *ym)
{
	const char *p = v->p;
	if (v->len == 10 && p[4] == '-' && p[7] == '-' && is_digit(p[8]) && is_digit(p[9])) {
		const struct month_cache *m = month_of(s, p);
		int dd = (p[8] - '0') * 10 + (p[9] - '0');
		if (m != NULL && dd >= 1 && dd <= m->days) {
			*day = m->first + dd - 1;
			*ym = m->year * 12 + m->month - 1;
			return 0;
		}
	}
	qy_buf_reset(&s->why);
	if (qy_rdate(v->p, v->len, day, &s->why) != 0)
		return -1;
	int y, mo, dd;
	qy_date_to_ymd(*day, &y, &mo, &dd);
	*ym = y * 12 + mo - 1;
	return 0;
}

static int
parse_date_col(struct dscan *s, const struct qy_str *v, unsigned long line, const char *col,
	       qy_day *day, int *ym)
{
	if (parse_date(s, v, day, ym) == 0)
		return 0;
	hold_problem(s, line, col, s->why.data);
	return -1;
}

/* Checks the columns the section uses.  Returns 1 for a row to count, 0 for
 * a row outside --month, -1 for a reported one. */
static int
parse_row(struct dscan *s, const struct qy_str *f, unsigned long line, struct drow *r)
{
	const struct qy_dcols *c = s->c;
	const struct qy_str *v = &f[c->submitted];
	if (v->len == 0)
		return bad_value(s, line, "submitted", v, "a date");
	int ym;
	if (parse_date_col(s, v, line, "submitted", &r->submitted, &ym) != 0)
		return -1;
	if (s->o->month_y != 0 && ym != s->o->month_y * 12 + s->o->month_m - 1)
		return 0;
	if ((r->category = parse_category(&f[c->category])) < 0)
		return bad_value(s, line, "category", &f[c->category],
				 "a category (gov, life, legal, culture, care, party)");
	r->status = c->status >= 0 ? parse_status(&f[c->status]) : QY_ST_OPEN;
	if (r->status < 0)
		return bad_value(s, line, "status", &f[c->status],
				 "a status (open, claimed, done, closed)");
	r->has_needed_by = c->needed_by >= 0 && f[c->needed_by].len > 0;
	if (r->has_needed_by &&
	    parse_date_col(s, &f[c->needed_by], line, "needed_by", &r->needed_by, &ym) != 0)
		return -1;
	r->has_done_date = c->done_date >= 0 && f[c->done_date].len > 0;
	if (r->has_done_date &&
	    parse_date_col(s, &f[c->done_date], line, "done_date", &r->done_date, &ym) != 0)
		return -1;
	r->satisfaction = c->satisfaction >= 0 ? parse_satisfaction(&f[c->satisfaction]) : 0;
	if (r->satisfaction < 0)
		return bad_value(s, line, "satisfaction", &f[c->satisfaction],
				 "a satisfaction (1..5 or 非常满意 … 非常不满意)");
	r->priority =
	    c->by_priority && c->priority >= 0 ? parse_priority(&f[c->priority]) : QY_PRI_NORMAL;
	if (r->priority < 0)
		return bad_value(s, line, "priority", &f[c->priority],
				 "a priority (normal, urgent, critical)");
	return 1;
}

static void
count_row(struct qy_dstats *st, const struct drow *r, qy_day as_of)
{
	st->received++;
	switch (r->status) {
	case QY_ST_OPEN:
		st->open++;
		break;
	case QY_ST_CLAIMED:
		st->claimed++;
		break;
	case QY_ST_DONE:
		st->done++;
		break;
	default:
		st->closed++;
		break;
	}
	int finished = r->status == QY_ST_DONE || r->status == QY_ST_CLOSED;
	if (!finished && r->has_needed_by && r->needed_by < as_of)
		st->overdue++;
	if (r->status == QY_ST_DONE && r->has_done_date) {
		st->days_sum += r->done_date - r->submitted;
		st->days_n++;
	}
	if (r->satisfaction > 0) {
		st->sat_sum += (uint64_t)r->satisfaction;
		st->sat_n++;
		st->sat_good += r->satisfaction >= 4;
	}
}

/* The value a --by column groups by: a coded column by its canonical code
 * (so 已办结 and done are one group), anything else as it is. */
static struct qy_str
by_value(const struct dscan *s, const struct qy_str *f, const struct drow *r, size_t i)
{
	const struct qy_dcols *c = s->c;
	int code;
	switch (c->by_type[i]) {
	case QY_T_CATEGORY:
		code = r->category;
		break;
	case QY_T_STATUS:
		code = r->status;
		break;
	case QY_T_PRIORITY:
		code = r->priority;
		break;
	default:
		return f[c->by[i]];
	}
	return qy_str_of(qy_code_name((enum qy_type)c->by_type[i], code));
}

static void
grow_stats(struct qy_dstats **v, size_t n)
{
	/* Called when a group was just added as index n - 1. */
	if ((n & (n - 1)) == 0 || n == 1)
		*v = qy_xrealloc(*v, (n < 64 ? 64 : 2 * n) * sizeof **v);
	memset(&(*v)[n - 1], 0, sizeof **v);
}

static void
grow_counts(uint64_t **v, size_t n)
{
	if ((n & (n - 1)) == 0 || n == 1)
		*v = qy_xrealloc(*v, (n < 64 ? 64 : 2 * n) * sizeof **v);
	(*v)[n - 1] = 0;
}

static void
hold_hit(struct dscan *s, long idx, const struct qy_str *f)
{
	const struct qy_dcols *c = s->c;
	if (s->nhits == s->hitcap) {
		s->hitcap = s->hitcap ? 2 * s->hitcap : 64;
		s->hits = qy_xrealloc(s->hits, s->hitcap * sizeof *s->hits);
	}
	struct held_hit *h = &s->hits[s->nhits++];
	h->idx = idx;
	h->content = c->content >= 0 ? qy_xmemdup(f[c->content].p, f[c->content].len) : NULL;
	h->requester =
	    c->requester >= 0 ? qy_xmemdup(f[c->requester].p, f[c->requester].len) : NULL;
	h->phone = c->phone >= 0 ? qy_xmemdup(f[c->phone].p, f[c->phone].len) : NULL;
}

/* Appends a key segment; the caller made room. */
static inline void
key_put(struct qy_buf *k, const char *p, size_t n)
{
	uint32_t len = (uint32_t)n;
	memcpy(k->data + k->len, &len, sizeof len);
	memcpy(k->data + k->len + sizeof len, p, n);
	k->len += sizeof len + n;
}

static size_t
community_of(struct dscan *s, const struct qy_str *f)
{
	const struct qy_dcols *c = s->c;
	const struct qy_str *street = &f[c->street], *comm = &f[c->community];
	qy_buf_reset(&s->key);
	qy_buf_grow(&s->key, street->len + comm->len + 8);
	key_put(&s->key, street->p, street->len);
	key_put(&s->key, comm->p, comm->len);
	struct qy_dagg *a = &s->agg;
	int added;
	size_t k = qy_strmap_put(&a->comms, s->key.data, s->key.len,
				 qy_strmap_hash(s->key.data, s->key.len), &added);
	if (added) {
		grow_counts(&a->ccount, a->comms.n);
		size_t stride = s->c->by_stride;
		if (a->comms.n > s->comm_group_cap) {
			s->comm_group_cap = 2 * a->comms.n;
			s->comm_group = qy_xrealloc(s->comm_group, s->comm_group_cap * stride *
								       sizeof *s->comm_group);
		}
		memset(s->comm_group + k * stride, 0, stride * sizeof *s->comm_group);
	}
	return k;
}

/* Where the row's group is remembered (with qy_dcols.by_cached). */
static uint32_t *
group_slot(const struct dscan *s, const struct drow *r, size_t comm)
{
	const struct qy_dcols *c = s->c;
	size_t i = c->by_cat ? (size_t)r->category : 0;
	i = i * (c->by_status ? 4 : 1) + (c->by_status ? (size_t)r->status : 0);
	i = i * (c->by_priority ? 3 : 1) + (c->by_priority ? (size_t)r->priority : 0);
	return &s->comm_group[comm * c->by_stride + i];
}

/* The row's group. */
static size_t
group_of(struct dscan *s, const struct qy_str *f, const struct drow *r, size_t comm)
{
	const struct qy_dcols *c = s->c;
	uint32_t *slot = c->by_cached ? group_slot(s, r, comm) : NULL;
	if (slot != NULL && *slot != 0)
		return *slot - 1;
	struct qy_str v[QY_REPORT_MAX_BY];
	size_t need = 0;
	for (size_t i = 0; i < c->nby; i++) {
		v[i] = by_value(s, f, r, i);
		need += sizeof(uint32_t) + v[i].len;
	}
	qy_buf_reset(&s->key);
	qy_buf_grow(&s->key, need);
	for (size_t i = 0; i < c->nby; i++)
		key_put(&s->key, v[i].p, v[i].len);
	struct qy_dagg *a = &s->agg;
	int added;
	size_t g = qy_strmap_put(&a->groups, s->key.data, s->key.len,
				 qy_strmap_hash(s->key.data, s->key.len), &added);
	if (added)
		grow_stats(&a->gstats, a->groups.n);
	if (slot != NULL)
		*slot = (uint32_t)g + 1;
	return g;
}

/* One demand row: f holds (at least) the wanted fields, unescaped. */
static void
dscan_row(struct dscan *s, const struct qy_str *f, unsigned long line)
{
	const struct qy_dcols *c = s->c;
	struct drow r;
	int ok = parse_row(s, f, line, &r);
	if (ok == 0)
		s->filtered++;
	if (ok <= 0)
		return;
	size_t k = community_of(s, f);
	size_t g = group_of(s, f, &r, k);
	struct qy_dagg *a = &s->agg;
	count_row(&a->gstats[g], &r, s->o->as_of);
	a->ccount[k]++;
	a->cat[r.category]++;
	if (s->escal != NULL && c->id >= 0) {
		long idx = qy_escal_find(s->escal, f[c->id].p, f[c->id].len);
		if (idx >= 0)
			hold_hit(s, idx, f);
	}
}

void
qy_key_add(struct qy_buf *key, const char *p, size_t n)
{
	uint32_t len = (uint32_t)n;
	qy_buf_add(key, &len, sizeof len);
	qy_buf_add(key, p, n);
}

struct qy_str
qy_key_part(const char *key, size_t len, size_t i)
{
	size_t at = 0;
	for (;;) {
		uint32_t n;
		if (at + sizeof n > len)
			return (struct qy_str){"", 0};
		memcpy(&n, key + at, sizeof n);
		if (i == 0)
			return (struct qy_str){key + at + sizeof n, n};
		at += sizeof n + n;
		i--;
	}
}

static void
dstats_add(struct qy_dstats *a, const struct qy_dstats *b)
{
	a->received += b->received;
	a->open += b->open;
	a->claimed += b->claimed;
	a->done += b->done;
	a->closed += b->closed;
	a->overdue += b->overdue;
	a->days_sum += b->days_sum;
	a->days_n += b->days_n;
	a->sat_sum += b->sat_sum;
	a->sat_n += b->sat_n;
	a->sat_good += b->sat_good;
}

void
qy_dagg_merge(struct qy_dagg *a, const struct qy_dagg *b)
{
	int added;
	for (size_t i = 0; i < b->groups.n; i++) {
		size_t g = qy_strmap_put(&a->groups, b->groups.keys[i], b->groups.lens[i],
					 b->groups.hashes[i], &added);
		if (added)
			grow_stats(&a->gstats, a->groups.n);
		dstats_add(&a->gstats[g], &b->gstats[i]);
	}
	for (size_t i = 0; i < b->comms.n; i++) {
		size_t k = qy_strmap_put(&a->comms, b->comms.keys[i], b->comms.lens[i],
					 b->comms.hashes[i], &added);
		if (added)
			grow_counts(&a->ccount, a->comms.n);
		a->ccount[k] += b->ccount[i];
	}
	for (int i = 0; i < QY_NCAT; i++)
		a->cat[i] += b->cat[i];
}

void
qy_dagg_free(struct qy_dagg *a)
{
	qy_strmap_free(&a->groups);
	qy_strmap_free(&a->comms);
	free(a->gstats);
	free(a->ccount);
	memset(a, 0, sizeof *a);
}

static void
dscan_init(struct dscan *s, const struct qy_dcols *c, const struct qy_report_opts *o,
	   const struct qy_escal *escal)
{
	memset(s, 0, sizeof *s);
	s->c = c;
	s->o = o;
	s->escal = escal;
}

static void
dscan_free(struct dscan *s)
{
	for (size_t i = 0; i < s->nprobs; i++)
		free(s->probs[i].msg);
	free(s->probs);
	for (size_t i = 0; i < s->nhits; i++) {
		free(s->hits[i].content);
		free(s->hits[i].requester);
		free(s->hits[i].phone);
	}
	free(s->hits);
	free(s->comm_group);
	qy_dagg_free(&s->agg);
	qy_buf_free(&s->key);
	qy_buf_free(&s->why);
}

/* ---- reading ---- */

struct job {
	struct dscan scan;
	const struct qy_tsv *file; /* the input, read here in a range of it */
	off_t begin, end;
	unsigned long lines;
	int ioerr;
	struct qy_buf ioerr_msg;
	unsigned long ioerr_line;
};

static void *
job_run(void *arg)
{
	struct job *j = arg;
	struct qy_tsv range;
	struct qy_buf why = {0};
	qy_tsv_open_range(&range, j->file, j->begin, j->end);
	for (;;) {
		qy_buf_reset(&why);
		int r = qy_tsv_next(&range, &why);
		if (r == QY_TSV_EOF)
			break;
		if (r == QY_TSV_IOERR) {
			j->ioerr = 1;
			j->ioerr_line = range.line;
			qy_buf_adds(&j->ioerr_msg, why.data);
			break;
		}
		j->scan.rows++;
		if (r == QY_TSV_ROW)
			dscan_row(&j->scan, range.fields, range.line);
		else
			hold_problem(&j->scan, range.line, NULL, why.data);
	}
	j->lines = range.line;
	qy_tsv_close(&range);
	qy_buf_free(&why);
	return NULL;
}

/* Hands a finished job's problems and counts to the input, its lines
 * numbered from line_base + 1. */
static void
job_report(struct job *j, struct qy_input *in, unsigned long line_base, struct qy_diag *d)
{
	struct dscan *s = &j->scan;
	for (size_t i = 0; i < s->nprobs; i++)
		qy_input_problem(d, in, line_base + s->probs[i].line, s->probs[i].col,
				 s->probs[i].msg);
	unsigned long unlisted = s->skipped - s->nprobs;
	in->skipped += unlisted;
	d->problems += unlisted;
	in->rows += s->rows;
	in->filtered += s->filtered;
	if (j->ioerr)
		qy_fatal_at(d, in->tsv.name, line_base + j->ioerr_line, "%s", j->ioerr_msg.data);
}

static void
apply_hits(struct qy_escal *e, const struct dscan *s)
{
	for (size_t i = 0; i < s->nhits; i++) {
		const struct held_hit *h = &s->hits[i];
		struct qy_str content = qy_str_of(h->content ? h->content : "");
		struct qy_str requester = qy_str_of(h->requester ? h->requester : "");
		struct qy_str phone = qy_str_of(h->phone ? h->phone : "");
		qy_escal_fill(e, h->idx, &content, &requester, &phone);
	}
}

static int
want_threads(const struct qy_report_opts *o, off_t size)
{
	if (o->threads != 0)
		return o->threads;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus >= 2 && size >= SPLIT_MIN ? 2 : 1;
}

/* A regular file: in one or two threads, each reading a range of it.
 * Returns 0, or -1 when in is not a regular file (the caller streams it). */
static int
scan_file(struct qy_input *in, const struct qy_dcols *c, const struct qy_report_opts *o,
	  struct qy_escal *escal, struct qy_dagg *total, struct qy_diag *d)
{
	struct stat st;
	off_t body = qy_tsv_body_offset(&in->tsv);
	if (body < 0 || fstat(in->tsv.fd, &st) != 0)
		return -1;
	int n = want_threads(o, st.st_size - body);
	off_t mid =
	    n == 2 ? qy_tsv_line_start(&in->tsv, body + (st.st_size - body) / 2) : st.st_size;
	struct job jobs[2];
	off_t bounds[3] = {body, mid, st.st_size};
	for (int i = 0; i < n; i++) {
		memset(&jobs[i], 0, sizeof jobs[i]);
		dscan_init(&jobs[i].scan, c, o, escal);
		jobs[i].file = &in->tsv;
		jobs[i].begin = bounds[i];
		jobs[i].end = bounds[i + 1];
	}
	pthread_t second;
	int threaded = n == 2 && pthread_create(&second, NULL, job_run, &jobs[1]) == 0;
	job_run(&jobs[0]);
	if (n == 2 && !threaded)
		job_run(&jobs[1]); /* no thread to be had: the same work, in turn */
	if (threaded)
		pthread_join(second, NULL);
	unsigned long base = 1; /* the header */
	for (int i = 0; i < n; i++) {
		job_report(&jobs[i], in, base, d);
		base += jobs[i].lines;
		qy_dagg_merge(total, &jobs[i].scan.agg);
		if (escal != NULL)
			apply_hits(escal, &jobs[i].scan);
		dscan_free(&jobs[i].scan);
		qy_buf_free(&jobs[i].ioerr_msg);
	}
	return 0;
}

/* Standard input (or anything not a regular file): lib/tsv.c, one thread. */
static void
scan_stream(struct qy_input *in, const struct qy_dcols *c, const struct qy_report_opts *o,
	    struct qy_escal *escal, struct qy_dagg *total, struct qy_diag *d)
{
	struct dscan s;
	dscan_init(&s, c, o, escal);
	while (qy_input_next(in, d)) {
		dscan_row(&s, in->tsv.fields, in->tsv.line);
		/* Report as we go: the lines are known. */
		for (size_t i = 0; i < s.nprobs; i++) {
			qy_input_problem(d, in, s.probs[i].line, s.probs[i].col, s.probs[i].msg);
			free(s.probs[i].msg);
		}
		s.nprobs = 0;
	}
	in->filtered += s.filtered;
	qy_dagg_merge(total, &s.agg);
	if (escal != NULL)
		apply_hits(escal, &s);
	dscan_free(&s);
}

/* ---- the section ---- */

static int
by_type_of(const char *name)
{
	if (strcmp(name, "category") == 0)
		return QY_T_CATEGORY;
	if (strcmp(name, "status") == 0)
		return QY_T_STATUS;
	if (strcmp(name, "priority") == 0)
		return QY_T_PRIORITY;
	return -1;
}

static void
find_cols(const struct qy_report_opts *o, const char *const *by, size_t nby, struct qy_input *in,
	  const struct qy_escal *escal, struct qy_dcols *c, struct qy_diag *d)
{
	c->submitted = qy_input_col(in, "submitted");
	c->street = qy_input_col(in, "street");
	c->community = qy_input_col(in, "community");
	c->category = qy_input_col(in, "category");
	c->status = qy_input_col(in, "status");
	c->needed_by = qy_input_col(in, "needed_by");
	c->done_date = qy_input_col(in, "done_date");
	c->satisfaction = qy_input_col(in, "satisfaction");
	c->priority = qy_input_col(in, "priority");
	int join = escal != NULL;
	c->id = join ? qy_input_col(in, "demand_id") : -1;
	c->content = join ? qy_input_col(in, "content") : -1;
	c->requester = join ? qy_input_col(in, "requester") : -1;
	c->phone = join ? qy_input_col(in, "phone") : -1;
	c->nby = nby;
	for (size_t i = 0; i < nby; i++) {
		c->by[i] = qy_input_col(in, by[i]);
		if (c->by[i] < 0)
			qy_fatal(d, "--by %s: %s has no column '%s'", o->nby ? by[i] : "street",
				 in->tsv.name, by[i]);
		c->by_type[i] = by_type_of(by[i]);
	}
	c->by_cached = 1;
	c->by_cat = c->by_status = c->by_priority = 0;
	for (size_t i = 0; i < nby; i++) {
		c->by_cached &=
		    c->by[i] == c->street || c->by[i] == c->community || c->by_type[i] >= 0;
		c->by_cat |= c->by_type[i] == QY_T_CATEGORY;
		c->by_status |= c->by_type[i] == QY_T_STATUS;
		c->by_priority |= c->by_type[i] == QY_T_PRIORITY;
	}
	c->by_stride =
	    (size_t)(c->by_cat ? 6 : 1) * (c->by_status ? 4 : 1) * (c->by_priority ? 3 : 1);
}

void
qy_report_demands(const struct qy_report_opts *o, struct qy_input *in, size_t nin,
		  struct qy_escal *escal, struct qy_tabs *out, struct qy_diag *d)
{
	static const char *const street_only[] = {"street"};
	const char *const *by = o->nby ? o->by : street_only;
	size_t nby = o->nby ? o->nby : 1;
	struct qy_dagg total = {0};
	struct qy_dcols c = {0};
	int any = 0;
	for (size_t i = 0; i < nin; i++) {
		if (in[i].kind != QY_IN_DEMAND)
			continue;
		any = 1;
		find_cols(o, by, nby, &in[i], escal, &c, d);
		if (scan_file(&in[i], &c, o, escal, &total, d) != 0)
			scan_stream(&in[i], &c, o, escal, &total, d);
		qy_input_finish(&in[i], d);
	}
	if (any)
		qy_demand_tables(o, &total, by, &c, out);
	qy_dagg_free(&total);
}
