/* score_read.c — qy-score's inputs: the member and branch rosters, the
 * demands (for the service component) and the activity log.
 *
 * Columns are found by name.  A row whose used value fails its type, or that
 * breaks a rule of SPEC 5, is reported at FILE:LINE and skipped; the run goes
 * on.  The activity loop is the hot path (a city's month is ten million
 * rows): canonical values take a fast path and only the rest go through
 * lib/value.h's general parsers. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "rules.h"
#include "score.h"
#include "score_impl.h"
#include "score_num.h"
#include "tsv.h"
#include "value.h"

/* ---- columns and values ---- */

static void
open_input(struct qy_score *s, struct qy_tsv *t, const char *path)
{
	struct qy_buf why = {0};
	if (qy_tsv_open(t, path, &why) != 0)
		qy_fatal(s->o.diag, "%s", why.data);
	qy_buf_free(&why);
}

/* The index of a column the input must have; fatal when it is missing. */
static int
need_col(struct qy_score *s, const struct qy_tsv *t, const char *name, const char *what)
{
	int c = qy_tsv_col(t, name);
	if (c < 0) {
		struct qy_buf h = {0};
		qy_tsv_header_text(&h, t);
		qy_fatal_at(s->o.diag, t->name, 1, "%s has no column '%s' (the header is: %s)",
			    what, name, h.data);
	}
	return c;
}

static const struct qy_str empty_str = {"", 0};

/* Where a row came from, for messages. */
struct at {
	const char *name;
	unsigned long line;
};

static struct at
at_of(const struct qy_tsv *t)
{
	struct at a = {t->name, t->line};
	return a;
}

static struct qy_str
field(const struct qy_tsv *t, int col)
{
	return col >= 0 ? t->fields[col] : empty_str;
}

static void problem(struct qy_score *s, const struct at *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
problem(struct qy_score *s, const struct at *t, const char *fmt, ...)
{
	struct qy_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	qy_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	qy_problem(s->o.diag, t->name, t->line, "%s", b.data);
	qy_buf_free(&b);
}

/* Reports "COLUMN: 'value' REASON". */
static void
problem_value(struct qy_score *s, const struct at *t, const char *col, struct qy_str v,
	      const char *reason)
{
	struct qy_buf q = {0};
	qy_buf_add_quoted(&q, v.p, v.len);
	problem(s, t, "%s: %s %s", col, q.data, reason);
	qy_buf_free(&q);
}

/* Reports "COLUMN: 'value' is not valid UTF-8" with the bad bytes as \xNN,
 * so that the message itself is valid UTF-8. */
static void
problem_not_utf8(struct qy_score *s, const struct at *t, const char *col, struct qy_str v)
{
	struct qy_buf q = {0};
	size_t i = 0;
	while (i < v.len && q.len < 240) {
		size_t n = 1;
		unsigned char c = (unsigned char)v.p[i];
		if (c >= 0xc0)
			n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (c >= 0x20 && c != 0x7f && i + n <= v.len && (c < 0x80 || n > 1) &&
		    qy_utf8_valid(v.p + i, n, NULL)) {
			qy_buf_add(&q, v.p + i, n);
			i += n;
		} else {
			qy_buf_printf(&q, "\\x%02X", c);
			i++;
		}
	}
	problem(s, t, "%s: '%s%s' is not valid UTF-8", col, q.data ? q.data : "",
		i < v.len ? "…" : "");
	qy_buf_free(&q);
}

/* 1 for a byte an id may hold as it is: printable ASCII, no space.  Ids in
 * qy-TSV written by qy-ingest are all like that. */
static inline int
plain_id(struct qy_str v)
{
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.p[i];
		if (c <= 0x20 || c >= 0x7f)
			return 0;
	}
	return 1;
}

/* 1 when text needs no trimming: no white space at either end (ASCII, U+3000,
 * U+00A0). */
static inline int
trimmed_text(struct qy_str v)
{
	if (v.len == 0)
		return 1;
	const unsigned char *p = (const unsigned char *)v.p, *e = p + v.len;
	if (p[0] <= 0x20 || e[-1] <= 0x20)
		return 0;
	if (v.len >= 2 && ((p[0] == 0xc2 && p[1] == 0xa0) || (e[-2] == 0xc2 && e[-1] == 0xa0)))
		return 0;
	if (v.len >= 3 && ((p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) ||
			   (e[-3] == 0xe3 && e[-2] == 0x80 && e[-1] == 0x80)))
		return 0;
	return 1;
}

/* Normalises v as type (SPEC 2.7) into *out, which points into v or tmp.
 * Returns 0, or reports "COLUMN: reason" and returns -1. */
static int
norm(struct qy_score *s, const struct at *t, const char *col, enum qy_type type, struct qy_str v,
     struct qy_buf *tmp, struct qy_str *out)
{
	if ((type == QY_T_ID && plain_id(v)) || (type == QY_T_TEXT && trimmed_text(v))) {
		*out = v;
		return 0;
	}
	struct qy_buf why = {0};
	qy_buf_reset(tmp);
	if (qy_value_norm(type, v.p, v.len, 0, 0, tmp, &why) != 0) {
		problem(s, t, "%s: %s", col, why.data);
		qy_buf_free(&why);
		return -1;
	}
	out->p = tmp->data ? tmp->data : "";
	out->len = tmp->len;
	return 0;
}

/* As norm, and the value must not be empty. */
static int
norm_required(struct qy_score *s, const struct at *t, const char *col, enum qy_type type,
	      struct qy_str v, struct qy_buf *tmp, struct qy_str *out)
{
	if (norm(s, t, col, type, v, tmp, out) != 0)
		return -1;
	if (out->len == 0) {
		problem(s, t, "%s: required", col);
		return -1;
	}
	return 0;
}

/* A date: YYYY-MM-DD directly, every other form of SPEC 2.7 through
 * qy_date_parse.  Returns 0, or reports and returns -1. */
static int
parse_date(struct qy_score *s, const struct at *t, const char *col, struct qy_str v, long *ymd)
{
	const char *p = v.p;
	if (v.len == 10 && p[4] == '-' && p[7] == '-') {
		int ok = 1, y = 0, m = 0, d = 0;
		for (int i = 0; i < 10; i++) {
			if (i == 4 || i == 7)
				continue;
			ok &= p[i] >= '0' && p[i] <= '9';
		}
		if (ok) {
			y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 +
			    (p[3] - '0');
			m = (p[5] - '0') * 10 + (p[6] - '0');
			d = (p[8] - '0') * 10 + (p[9] - '0');
			if (m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m)) {
				*ymd = (long)y * 10000 + m * 100 + d;
				return 0;
			}
		}
	}
	if (v.len == 0) {
		problem(s, t, "%s: required", col);
		return -1;
	}
	struct qy_buf why = {0};
	qy_day day;
	if (qy_date_parse(v.p, v.len, &day, &why) != 0) {
		problem(s, t, "%s: %s", col, why.data);
		qy_buf_free(&why);
		return -1;
	}
	int y, m, d;
	qy_date_to_ymd(day, &y, &m, &d);
	*ymd = (long)y * 10000 + m * 100 + d;
	return 0;
}

/* Reads the next row into t->fields: returns 1, or 0 at the end.  A
 * malformed row is reported and skipped; a read error is fatal. */
static int
next_row(struct qy_score *s, struct qy_tsv *t, struct qy_buf *why)
{
	for (;;) {
		qy_buf_reset(why);
		int st = qy_tsv_next(t, why);
		if (st == QY_TSV_ROW)
			return 1;
		if (st == QY_TSV_EOF)
			return 0;
		if (st == QY_TSV_IOERR)
			qy_fatal(s->o.diag, "%s: %s", t->name, why->data);
		struct at a = at_of(t);
		problem(s, &a, "%s", why->data);
	}
}

/* Scratch buffers for the normalised values of one row, one per column. */
enum { TMP_ID, TMP_NAME, TMP_BRANCH, TMP_KIND, TMP_STREET, TMP_COMMUNITY, TMP_HOURS, NTMP };

static void
free_tmp(struct qy_buf *tmp)
{
	for (int i = 0; i < NTMP; i++)
		qy_buf_free(&tmp[i]);
}

/* ---- rosters ---- */

static void
duplicate(struct qy_score *s, const struct at *t, const char *col, struct qy_str id,
	  uint32_t first_line)
{
	struct qy_buf reason = {0};
	qy_buf_printf(&reason, "is a duplicate of %s:%lu", t->name, (unsigned long)first_line);
	problem_value(s, t, col, id, reason.data);
	qy_buf_free(&reason);
}

struct branch_cols {
	int id, name, street, community;
};

static void
branch_roster_row(struct qy_score *s, const struct qy_tsv *in, const struct branch_cols *c,
		  struct qy_buf *tmp)
{
	struct at where = at_of(in), *t = &where;
	struct qy_str id, name, street, community;
	if (norm_required(s, t, "branch_id", QY_T_ID, field(in, c->id), &tmp[TMP_ID], &id) != 0 ||
	    norm_required(s, t, "name", QY_T_TEXT, field(in, c->name), &tmp[TMP_NAME], &name) !=
		0 ||
	    norm(s, t, "street", QY_T_TEXT, field(in, c->street), &tmp[TMP_STREET], &street) != 0 ||
	    norm(s, t, "community", QY_T_TEXT, field(in, c->community), &tmp[TMP_COMMUNITY],
		 &community) != 0)
		return;
	long have = qy_smap_get(&s->branch_ids, id.p, id.len);
	if (have >= 0 && s->branch[have].in_roster) {
		duplicate(s, t, "branch_id", id, s->branch[have].line);
		return;
	}
	uint32_t i = branch_intern(s, id.p, id.len); /* may move s->branch */
	struct branch *b = &s->branch[i];
	b->in_roster = 1;
	b->line = (uint32_t)t->line;
	b->name = text_add(s, name.p, name.len);
	b->street = text_add(s, street.p, street.len);
	b->community = text_add(s, community.p, community.len);
}

void
qy_score_read_branches(struct qy_score *s, const char *path)
{
	struct qy_tsv t;
	struct qy_buf why = {0}, tmp[NTMP] = {{0}};
	open_input(s, &t, path);
	s->branch_roster = qy_input_name(path);
	if (t.ncols > 0) {
		struct branch_cols c = {
		    need_col(s, &t, "branch_id", "the branch roster"),
		    need_col(s, &t, "name", "the branch roster"),
		    qy_tsv_col(&t, "street"),
		    qy_tsv_col(&t, "community"),
		};
		while (next_row(s, &t, &why))
			branch_roster_row(s, &t, &c, tmp);
	}
	qy_tsv_close(&t);
	qy_buf_free(&why);
	free_tmp(tmp);
}

/* The member called id, added when new (with a zeroed hot block). */
static size_t
member_intern(struct qy_score *s, const char *id, size_t n, int *inserted)
{
	uint64_t off;
	uint32_t i = qy_smap_put(&s->member_ids, id, n, (uint32_t)s->nmembers, inserted, &off);
	if (!*inserted)
		return i;
	if (s->nmembers == s->cap_members) {
		s->cap_members = s->cap_members ? 2 * s->cap_members : 1024;
		s->member = qy_xrealloc(s->member, s->cap_members * sizeof *s->member);
		s->hot = qy_xrealloc(s->hot, s->cap_members * s->hot_stride * sizeof *s->hot);
	}
	struct member *m = &s->member[s->nmembers];
	memset(m, 0, sizeof *m);
	memset(member_hot(s, s->nmembers), 0, s->hot_stride * sizeof *s->hot);
	m->id_off = off;
	m->id_len = (uint32_t)n;
	m->branch = -1;
	m->kind_code = -1;
	s->nmembers++;
	return i;
}

/* The branch a member belongs to; with -b it must be in the branch roster
 * (the member is kept either way: it is still a member). */
static void
link_branch(struct qy_score *s, const struct at *t, struct member *m, struct qy_str branch_id)
{
	if (s->branch_roster != NULL) {
		long i = qy_smap_get(&s->branch_ids, branch_id.p, branch_id.len);
		if (i < 0 || !s->branch[i].in_roster) {
			struct qy_buf reason = {0};
			qy_buf_printf(&reason, "is not in the branch roster %s", s->branch_roster);
			problem_value(s, t, "branch_id", branch_id, reason.data);
			qy_buf_free(&reason);
		}
	}
	m->branch = (int32_t)branch_intern(s, branch_id.p, branch_id.len);
}

struct member_cols {
	int id, name, branch, kind;
};

static void
member_roster_row(struct qy_score *s, const struct qy_tsv *in, const struct member_cols *c,
		  struct qy_buf *tmp)
{
	struct at where = at_of(in), *t = &where;
	struct qy_str id, name, branch_id, kind;
	if (norm_required(s, t, "member_id", QY_T_ID, field(in, c->id), &tmp[TMP_ID], &id) != 0 ||
	    norm_required(s, t, "name", QY_T_TEXT, field(in, c->name), &tmp[TMP_NAME], &name) !=
		0 ||
	    norm_required(s, t, "branch_id", QY_T_ID, field(in, c->branch), &tmp[TMP_BRANCH],
			  &branch_id) != 0 ||
	    norm(s, t, "member_kind", QY_T_MEMBER_KIND, field(in, c->kind), &tmp[TMP_KIND],
		 &kind) != 0)
		return;
	int inserted;
	size_t i = member_intern(s, id.p, id.len, &inserted); /* may move s->member */
	struct member *m = &s->member[i];
	if (!inserted) {
		duplicate(s, t, "member_id", id, m->line);
		return;
	}
	m->in_roster = 1;
	m->line = (uint32_t)t->line;
	m->name = text_add(s, name.p, name.len);
	m->kind_code = (int8_t)(kind.len ? qy_code_parse(QY_T_MEMBER_KIND, kind.p, kind.len) : -1);
	link_branch(s, t, m, branch_id);
}

void
qy_score_read_members(struct qy_score *s, const char *path)
{
	struct qy_tsv t;
	struct qy_buf why = {0}, tmp[NTMP] = {{0}};
	open_input(s, &t, path);
	s->member_roster = qy_input_name(path);
	if (t.ncols > 0) {
		struct member_cols c = {
		    need_col(s, &t, "member_id", "the member roster"),
		    need_col(s, &t, "name", "the member roster"),
		    need_col(s, &t, "branch_id", "the member roster"),
		    qy_tsv_col(&t, "member_kind"),
		};
		while (next_row(s, &t, &why))
			member_roster_row(s, &t, &c, tmp);
	}
	qy_tsv_close(&t);
	qy_buf_free(&why);
	free_tmp(tmp);
}

/* ---- demands, for the service component ---- */

struct demand_cols {
	int submitted, street, community, status, satisfaction;
};

static struct service *
service_of(struct qy_score *s, struct qy_smap *map, const char *key, size_t n)
{
	int inserted;
	uint32_t i = qy_smap_put(map, key, n, (uint32_t)s->nservice, &inserted, NULL);
	if (inserted) {
		if (s->nservice == s->cap_service) {
			s->cap_service = s->cap_service ? 2 * s->cap_service : 256;
			s->service = qy_xrealloc(s->service, s->cap_service * sizeof *s->service);
		}
		memset(&s->service[s->nservice++], 0, sizeof *s->service);
	}
	return &s->service[i];
}

static void
count_demand(struct service *v, int status, int satisfaction)
{
	v->all++;
	v->closed += status == QY_ST_CLOSED;
	v->done += status == QY_ST_DONE;
	if (satisfaction > 0) {
		v->rated++;
		v->sat_sum += satisfaction;
	}
}

static void
demand_row(struct qy_score *s, const struct qy_tsv *in, const struct demand_cols *c,
	   struct qy_buf *tmp)
{
	struct at where = at_of(in), *t = &where;
	long ymd;
	if (parse_date(s, t, "submitted", field(in, c->submitted), &ymd) != 0)
		return;
	if (ymd < s->o.period.from_ymd || ymd > s->o.period.to_ymd)
		return;
	struct qy_str street, community, status, sat;
	if (norm(s, t, "street", QY_T_TEXT, field(in, c->street), &tmp[TMP_STREET], &street) != 0 ||
	    norm_required(s, t, "community", QY_T_TEXT, field(in, c->community),
			  &tmp[TMP_COMMUNITY], &community) != 0 ||
	    norm(s, t, "status", QY_T_STATUS, field(in, c->status), &tmp[TMP_KIND], &status) != 0 ||
	    norm(s, t, "satisfaction", QY_T_SATISFACTION, field(in, c->satisfaction),
		 &tmp[TMP_HOURS], &sat) != 0)
		return;
	int st = status.len ? qy_code_parse(QY_T_STATUS, status.p, status.len) : QY_ST_OPEN;
	int rating = sat.len ? qy_code_parse(QY_T_SATISFACTION, sat.p, sat.len) : 0;
	struct qy_buf *key = &tmp[TMP_ID];
	qy_buf_reset(key);
	qy_buf_add(key, street.p, street.len);
	qy_buf_addc(key, '\x1f');
	qy_buf_add(key, community.p, community.len);
	count_demand(service_of(s, &s->service_by_street, key->data, key->len), st, rating);
	count_demand(service_of(s, &s->service_by_community, community.p, community.len), st,
		     rating);
}

void
qy_score_read_demands(struct qy_score *s, const char *path)
{
	struct qy_tsv t;
	struct qy_buf why = {0}, tmp[NTMP] = {{0}};
	open_input(s, &t, path);
	s->have_demands = 1;
	if (t.ncols > 0) {
		struct demand_cols c = {
		    need_col(s, &t, "submitted", "the demands"),
		    qy_tsv_col(&t, "street"),
		    need_col(s, &t, "community", "the demands"),
		    qy_tsv_col(&t, "status"),
		    qy_tsv_col(&t, "satisfaction"),
		};
		while (next_row(s, &t, &why))
			demand_row(s, &t, &c, tmp);
	}
	qy_tsv_close(&t);
	qy_buf_free(&why);
	free_tmp(tmp);
}

/* ---- the activity log ----
 *
 * The loop is bound by memory latency: a city has half a million members,
 * and each row looks its member up in a hash table and adds into that
 * member's block, two cache misses (and, in a virtual machine, two costly TLB
 * misses) at random places.  So rows are not handled as they are read: each
 * row's used fields are copied into a small ring, the slot of its member id
 * is prefetched at once, the member is looked up AHEAD rows later (the slot
 * has arrived by then) and its block prefetched, and the row is scored
 * another AHEAD rows later.  Messages still come out in line order: the ring
 * is drained before a malformed row is reported, and at the end. */

enum { A_DATE, A_MEMBER, A_BRANCH, A_KIND, A_HOURS, A_NCOLS };
enum { AHEAD = 8, RING = 32 }; /* RING > 2 × AHEAD, a power of two */

struct pending {
	unsigned long line;
	struct qy_buf text;	  /* the used fields, NUL-terminated, back to back */
	struct qy_str f[A_NCOLS]; /* into text; empty when the input lacks the column */
	uint64_t hash;		  /* of a plain member id, else 0 */
	long member;		  /* its index found ahead, or -1 */
};

struct activity_loop {
	struct qy_score *s;
	const char *name;
	int col[A_NCOLS];
	struct pending ring[RING];
	unsigned long captured, looked, settled;
	struct qy_buf tmp[NTMP];
};

/* The rule for the row's kind text at level, or -1 (reported). */
static int
classify_row(struct qy_score *s, const struct at *t, struct qy_str text, enum qy_level level,
	     struct qy_buf *tmp)
{
	struct qy_str kind;
	if (norm_required(s, t, "kind", QY_T_TEXT, text, tmp, &kind) != 0)
		return -1;
	int rule = qy_classify(&s->classifier, level, kind.p, kind.len);
	if (rule >= 0)
		return rule;
	if (rule == QY_CLASS_NONE)
		problem_value(s, t, "kind", kind,
			      level == QY_LEVEL_MEMBER
				  ? "matches no member rule (see --print-rules)"
				  : "matches no branch rule (see --print-rules)");
	else if (!qy_utf8_valid(kind.p, kind.len, NULL))
		problem_not_utf8(s, t, "kind", kind);
	else
		problem_value(s, t, "kind", kind, "hit PCRE2's match limit in a rule's pattern");
	return -1;
}

/* Parses a non-empty hours value into *hours; *v becomes its normalised
 * text (empty when it was blank).  Returns 0, or reports and returns -1. */
static int
hours_value(struct qy_score *s, const struct at *t, struct qy_str *v, struct qy_buf *tmp,
	    long long *hours)
{
	struct qy_buf why = {0};
	int rc = 0;
	if (qy_hours_parse(v->p, v->len, hours, &why) == 0)
		goto out;
	/* Not canonical: let value.h fold and trim it, then try again. */
	qy_buf_reset(&why);
	qy_buf_reset(tmp);
	if (qy_value_norm(QY_T_DECIMAL, v->p, v->len, 0, 24, tmp, &why) != 0) {
		rc = -1;
	} else {
		v->p = tmp->data ? tmp->data : "";
		v->len = tmp->len;
		qy_buf_reset(&why);
		if (v->len > 0 && qy_hours_parse(v->p, v->len, hours, &why) != 0)
			rc = -1;
	}
	if (rc != 0)
		problem(s, t, "hours: %s", why.data);
out:
	qy_buf_free(&why);
	return rc;
}

/* The row's hours (×QY_HOURS_SCALE, 0 when empty) into *hours.  Hours are
 * type-checked whenever given, and required by a per-hour rule.  Returns 0,
 * or reports and returns -1. */
static int
row_hours(struct qy_score *s, const struct at *t, struct qy_str v, const struct qy_rule *rule,
	  struct qy_buf *tmp, long long *hours)
{
	*hours = 0;
	if (v.len > 0 && hours_value(s, t, &v, tmp, hours) != 0)
		return -1;
	if (v.len == 0 && rule->per == QY_PER_HOUR) {
		problem(s, t, "hours: required: kind '%s' is scored per hour",
			s->o.rules->kind[rule->level][rule->kind].name);
		return -1;
	}
	return 0;
}

static void
add_points(struct qy_score *s, size_t i, const struct qy_rule *rule, long month, long long hours)
{
	long long *hot = member_hot(s, i);
	long long amount =
	    rule->per == QY_PER_HOUR ? rule->points * hours : rule->points * QY_HOURS_SCALE;
	long long *cell =
	    hot + 1 + (size_t)(month - s->o.period.first_month) * s->nkinds_member + rule->kind;
	*cell = qy_sat_add(*cell, amount);
	long long state = hot[0] | M_SCORED;
	if (rule->points > 0)
		state |= M_POSITIVE;
	if (rule->kind == s->o.rules->veto_kind && (state >> HOT_EVENTS_SHIFT) < UINT32_MAX)
		state += 1LL << HOT_EVENTS_SHIFT;
	hot[0] = state;
}

/* The member a row names, or -1 (reported): with -m it must be in the
 * roster; without, it is added, and takes the first branch_id its rows
 * give. */
static long
row_member(struct activity_loop *L, const struct at *t, const struct pending *p, struct qy_str id)
{
	struct qy_score *s = L->s;
	long i = p->member;
	if (i < 0 && (p->hash == 0 || s->member_roster == NULL))
		i = qy_smap_get(&s->member_ids, id.p, id.len);
	if (s->member_roster != NULL) {
		if (i < 0) {
			struct qy_buf reason = {0};
			qy_buf_printf(&reason, "is not in the member roster %s", s->member_roster);
			problem_value(s, t, "member_id", id, reason.data);
			qy_buf_free(&reason);
		}
		return i;
	}
	struct qy_str branch_id;
	if (norm(s, t, "branch_id", QY_T_ID, p->f[A_BRANCH], &L->tmp[TMP_BRANCH], &branch_id) != 0)
		return -1;
	if (i < 0) {
		int inserted;
		i = (long)member_intern(s, id.p, id.len, &inserted);
	}
	struct member *m = &s->member[i];
	if (m->branch < 0 && branch_id.len > 0)
		link_branch(s, t, m, branch_id); /* reported once, when not in -b */
	return i;
}

static void
member_row(struct activity_loop *L, const struct at *t, const struct pending *p, long month,
	   struct qy_str id)
{
	struct qy_score *s = L->s;
	int r = classify_row(s, t, p->f[A_KIND], QY_LEVEL_MEMBER, &L->tmp[TMP_KIND]);
	if (r < 0)
		return;
	const struct qy_rule *rule = &s->o.rules->rule[r];
	long long hours;
	if (row_hours(s, t, p->f[A_HOURS], rule, &L->tmp[TMP_HOURS], &hours) != 0)
		return;
	long i = row_member(L, t, p, id);
	if (i >= 0)
		add_points(s, (size_t)i, rule, month, hours);
}

/* A branch's own event (a row without member_id).  Events before the period
 * count only for quarterly kinds (the look-back of struct qy_period). */
static void
branch_row(struct activity_loop *L, const struct at *t, const struct pending *p, long ymd,
	   long month)
{
	struct qy_score *s = L->s;
	struct qy_str id;
	if (norm_required(s, t, "branch_id", QY_T_ID, p->f[A_BRANCH], &L->tmp[TMP_BRANCH], &id) !=
	    0)
		return;
	int r = classify_row(s, t, p->f[A_KIND], QY_LEVEL_BRANCH, &L->tmp[TMP_KIND]);
	if (r < 0)
		return;
	const struct qy_rule *rule = &s->o.rules->rule[r];
	if (ymd < s->o.period.from_ymd && s->role[rule->kind] != ORG_QUARTERLY)
		return;
	long long hours;
	if (row_hours(s, t, p->f[A_HOURS], rule, &L->tmp[TMP_HOURS], &hours) != 0)
		return;
	long i = qy_smap_get(&s->branch_ids, id.p, id.len);
	if (s->branch_roster != NULL && (i < 0 || !s->branch[i].in_roster)) {
		struct qy_buf reason = {0};
		qy_buf_printf(&reason, "is not in the branch roster %s", s->branch_roster);
		problem_value(s, t, "branch_id", id, reason.data);
		qy_buf_free(&reason);
		return;
	}
	if (i < 0)
		i = branch_intern(s, id.p, id.len);
	uint8_t *ev = branch_events(s, &s->branch[i]);
	ev[(size_t)(month - s->o.period.window_month) * s->nkinds_branch + rule->kind] = 1;
}

/* Checks and scores one row. */
static void
settle(struct activity_loop *L)
{
	struct qy_score *s = L->s;
	const struct pending *p = &L->ring[L->settled++ % RING];
	const struct qy_period *per = &s->o.period;
	struct at t = {L->name, p->line};
	long ymd;
	if (parse_date(s, &t, "date", p->f[A_DATE], &ymd) != 0)
		return;
	if (ymd > per->to_ymd || ymd < per->window_ymd)
		return;
	long month = (ymd / 10000) * 12 + (ymd / 100) % 100 - 1;
	struct qy_str id;
	if (norm(s, &t, "member_id", QY_T_ID, p->f[A_MEMBER], &L->tmp[TMP_ID], &id) != 0)
		return;
	if (id.len > 0) {
		if (ymd >= per->from_ymd)
			member_row(L, &t, p, month, id);
	} else if (p->f[A_BRANCH].len > 0) {
		branch_row(L, &t, p, ymd, month);
	} else {
		problem(s, &t,
			"member_id, branch_id: both empty (a row is a member's or a branch's)");
	}
}

/* Copies the row's used fields into the ring and prefetches its member's
 * hash slot. */
static void
capture(struct activity_loop *L, const struct qy_tsv *t)
{
	struct pending *p = &L->ring[L->captured++ % RING];
	struct qy_str v[A_NCOLS];
	size_t need = 0;
	for (int i = 0; i < A_NCOLS; i++) {
		v[i] = field(t, L->col[i]);
		need += v[i].len + 1;
	}
	p->line = t->line;
	qy_buf_reset(&p->text);
	qy_buf_grow(&p->text, need);
	char *w = p->text.data;
	for (int i = 0; i < A_NCOLS; i++) {
		memcpy(w, v[i].p, v[i].len);
		p->f[i].p = w;
		p->f[i].len = v[i].len;
		w += v[i].len;
		*w++ = '\0';
	}
	p->text.len = need - 1;
	p->member = -1;
	p->hash = 0;
	if (p->f[A_MEMBER].len > 0 && plain_id(p->f[A_MEMBER])) {
		p->hash = qy_smap_hash(p->f[A_MEMBER].p, p->f[A_MEMBER].len);
		qy_smap_prefetch(&L->s->member_ids, p->hash);
	}
}

/* Looks the member up (its slot should be in the cache by now) and
 * prefetches the member's hot block. */
static void
look_ahead(struct activity_loop *L)
{
	struct pending *p = &L->ring[L->looked++ % RING];
	if (p->hash == 0)
		return;
	p->member =
	    qy_smap_get_hashed(&L->s->member_ids, p->hash, p->f[A_MEMBER].p, p->f[A_MEMBER].len);
	if (p->member >= 0) {
		const long long *hot = member_hot(L->s, (size_t)p->member);
		__builtin_prefetch(hot, 1);
		__builtin_prefetch(hot + L->s->hot_stride - 1, 1);
	}
}

static void
drain(struct activity_loop *L)
{
	while (L->looked < L->captured)
		look_ahead(L);
	while (L->settled < L->captured)
		settle(L);
}

/* Several activity inputs must have one header (SPEC 1). */
static void
check_header(struct qy_score *s, const struct qy_tsv *t)
{
	if (s->activity_header == NULL) {
		s->activity_ncols = t->ncols;
		s->activity_header = qy_xcalloc(t->ncols, sizeof *s->activity_header);
		for (size_t i = 0; i < t->ncols; i++)
			s->activity_header[i] = qy_xstrdup(t->cols[i]);
		return;
	}
	int same = t->ncols == s->activity_ncols;
	for (size_t i = 0; same && i < t->ncols; i++)
		same = strcmp(t->cols[i], s->activity_header[i]) == 0;
	if (!same)
		qy_fatal_at(s->o.diag, t->name, 1,
			    "header differs from the first activity input's (several inputs must "
			    "have the same header)");
}

static void
run_activity(struct activity_loop *L, struct qy_tsv *t)
{
	struct qy_buf why = {0};
	for (;;) {
		qy_buf_reset(&why);
		int st = qy_tsv_next(t, &why);
		if (st == QY_TSV_ROW) {
			capture(L, t);
			if (L->captured - L->looked > AHEAD)
				look_ahead(L);
			if (L->captured - L->settled > 2 * AHEAD)
				settle(L);
			continue;
		}
		drain(L);
		if (st == QY_TSV_EOF)
			break;
		if (st == QY_TSV_IOERR)
			qy_fatal(L->s->o.diag, "%s: %s", t->name, why.data);
		struct at a = at_of(t);
		problem(L->s, &a, "%s", why.data);
	}
	qy_buf_free(&why);
}

void
qy_score_read_activity(struct qy_score *s, const char *path)
{
	struct qy_tsv t;
	open_input(s, &t, path);
	if (t.ncols > 0) {
		check_header(s, &t);
		struct activity_loop *L = qy_xcalloc(1, sizeof *L);
		L->s = s;
		L->name = t.name;
		L->col[A_DATE] = need_col(s, &t, "date", "the activity");
		L->col[A_MEMBER] = qy_tsv_col(&t, "member_id");
		L->col[A_BRANCH] = qy_tsv_col(&t, "branch_id");
		L->col[A_KIND] = need_col(s, &t, "kind", "the activity");
		L->col[A_HOURS] = qy_tsv_col(&t, "hours");
		if (L->col[A_MEMBER] < 0 && L->col[A_BRANCH] < 0)
			qy_fatal_at(s->o.diag, t.name, 1,
				    "the activity has neither a member_id nor a branch_id column");
		run_activity(L, &t);
		for (int i = 0; i < RING; i++)
			qy_buf_free(&L->ring[i].text);
		free_tmp(L->tmp);
		free(L);
	}
	qy_tsv_close(&t);
}
