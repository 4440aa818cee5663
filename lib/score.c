/* score.c — the vanguard and bastion indices (SPEC 5.2, 5.3) and their
 * output.  Reading the inputs is score_read.c's. */
#include "score.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "out.h"
#include "score_impl.h"
#include "score_num.h"
#include "tsv.h"
#include "value.h"

/* ---- the period ---- */

static long
month_of(int y, int m)
{
	return (long)y * 12 + m - 1;
}

static long
ymd_of(int y, int m, int d)
{
	return (long)y * 10000 + m * 100 + d;
}

int
qy_period_quarter_due(const struct qy_period *p, long e)
{
	if (e % 3 != 2 || e < p->first_month || e > p->last_month)
		return 0;
	int y = (int)(e / 12), m = (int)(e % 12) + 1;
	return p->to_ymd >= ymd_of(y, m, days_in_month(y, m));
}

int
qy_period_set(struct qy_period *p, int y1, int m1, int d1, int y2, int m2, int d2)
{
	if (m1 < 1 || m1 > 12 || m2 < 1 || m2 > 12 || d1 < 1 || d2 < 1 ||
	    d1 > days_in_month(y1, m1) || d2 > days_in_month(y2, m2))
		return -1;
	memset(p, 0, sizeof *p);
	p->from_ymd = ymd_of(y1, m1, d1);
	p->to_ymd = ymd_of(y2, m2, d2);
	if (p->from_ymd > p->to_ymd)
		return -1;
	p->first_month = month_of(y1, m1);
	p->last_month = month_of(y2, m2);
	p->months = p->last_month - p->first_month + 1;
	p->window_month = p->first_month;
	for (long e = p->first_month; e <= p->last_month; e++) {
		if (qy_period_quarter_due(p, e)) {
			if (e - 2 < p->window_month)
				p->window_month = e - 2;
			break;
		}
	}
	p->window_ymd = ymd_of((int)(p->window_month / 12), (int)(p->window_month % 12) + 1, 1);
	return 0;
}

int
qy_period_month(struct qy_period *p, int y, int m)
{
	if (m < 1 || m > 12)
		return -1;
	return qy_period_set(p, y, m, 1, y, m, days_in_month(y, m));
}

/* ---- the engine's records ---- */

static enum org_role
org_role_of(const char *kind)
{
	static const char *const monthly[] = {"committee", "group", "theme_day"};
	static const char *const quarterly[] = {"assembly", "lecture"};
	for (size_t i = 0; i < sizeof monthly / sizeof monthly[0]; i++)
		if (strcmp(kind, monthly[i]) == 0)
			return ORG_MONTHLY;
	for (size_t i = 0; i < sizeof quarterly / sizeof quarterly[0]; i++)
		if (strcmp(kind, quarterly[i]) == 0)
			return ORG_QUARTERLY;
	return ORG_NONE;
}

struct qy_score *
qy_score_new(const struct qy_score_opts *opts)
{
	struct qy_score *s = qy_xcalloc(1, sizeof *s);
	s->o = *opts;
	qy_classifier_init(&s->classifier, opts->rules);
	s->nkinds_member = opts->rules->nkinds[QY_LEVEL_MEMBER];
	s->nkinds_branch = opts->rules->nkinds[QY_LEVEL_BRANCH];
	s->role = qy_xcalloc(s->nkinds_branch + 1, sizeof *s->role);
	for (size_t k = 0; k < s->nkinds_branch; k++)
		s->role[k] = org_role_of(opts->rules->kind[QY_LEVEL_BRANCH][k].name);
	s->hot_stride = 1 + (size_t)opts->period.months * s->nkinds_member;
	s->window_months = opts->period.last_month - opts->period.window_month + 1;
	s->event_block = (size_t)s->window_months * s->nkinds_branch;
	qy_buf_addc(&s->text, '\0'); /* offset 0 is the empty text */
	return s;
}

void
qy_score_free(struct qy_score *s)
{
	if (s == NULL)
		return;
	qy_classifier_free(&s->classifier);
	qy_smap_free(&s->member_ids);
	qy_smap_free(&s->branch_ids);
	qy_smap_free(&s->service_by_street);
	qy_smap_free(&s->service_by_community);
	for (size_t i = 0; i < s->activity_ncols; i++)
		free(s->activity_header[i]);
	free(s->activity_header);
	free(s->role);
	free(s->member);
	free(s->branch);
	free(s->hot);
	free(s->events);
	free(s->service);
	qy_buf_free(&s->text);
	free(s);
}

unsigned long
qy_score_classified(const struct qy_score *s)
{
	return s->classifier.evaluated;
}

struct text_ref
text_add(struct qy_score *s, const char *p, size_t n)
{
	struct text_ref r = {0, 0};
	if (n == 0)
		return r;
	r.off = s->text.len;
	r.len = (uint32_t)n;
	qy_buf_add(&s->text, p, n);
	qy_buf_addc(&s->text, '\0');
	return r;
}

uint32_t
branch_intern(struct qy_score *s, const char *id, size_t n)
{
	int inserted;
	uint64_t off;
	uint32_t i = qy_smap_put(&s->branch_ids, id, n, (uint32_t)s->nbranches, &inserted, &off);
	if (!inserted)
		return i;
	if (s->nbranches == s->cap_branches) {
		s->cap_branches = s->cap_branches ? 2 * s->cap_branches : 256;
		s->branch = qy_xrealloc(s->branch, s->cap_branches * sizeof *s->branch);
	}
	struct branch *b = &s->branch[s->nbranches++];
	memset(b, 0, sizeof *b);
	b->id_off = off;
	b->id_len = (uint32_t)n;
	return i;
}

uint8_t *
branch_events(struct qy_score *s, struct branch *b)
{
	if (b->events == 0) {
		if (s->nevent_blocks == s->cap_event_blocks) {
			s->cap_event_blocks = s->cap_event_blocks ? 2 * s->cap_event_blocks : 256;
			s->events = qy_xrealloc(s->events, s->cap_event_blocks * s->event_block);
		}
		memset(s->events + s->nevent_blocks * s->event_block, 0, s->event_block);
		b->events = (uint32_t)++s->nevent_blocks;
	}
	return s->events + (b->events - 1) * s->event_block;
}

/* ---- the vanguard index ---- */

/* One month's sum of one kind, bounded by the kind's cap. */
static long long
capped(const struct qy_kind *k, long long sum)
{
	if (!k->has_cap)
		return sum;
	long long cap = k->cap * QY_HOURS_SCALE;
	if (k->cap >= 0)
		return sum < cap ? sum : cap;
	return sum > cap ? sum : cap;
}

/* The member's points of kind k over the period: Σ over months of the
 * month's capped sum. */
static long long
kind_points(const struct qy_score *s, size_t i, size_t k)
{
	const long long *c = member_hot(s, i) + 1;
	const struct qy_kind *kind = &s->o.rules->kind[QY_LEVEL_MEMBER][k];
	long long total = 0;
	for (long mo = 0; mo < s->o.period.months; mo++)
		total = qy_sat_add(total, capped(kind, c[(size_t)mo * s->nkinds_member + k]));
	return total;
}

/* index = clamp(points / (100 × months) × 100, 0, 100) = clamp(points / months). */
static void
compute_member(const struct qy_score *s, size_t i)
{
	struct member *m = &s->member[i];
	long long total = 0;
	for (size_t k = 0; k < s->nkinds_member; k++)
		total = qy_sat_add(total, kind_points(s, i, k));
	m->points = total;
	long long idx = qy_round_tenths(total, (qy_wide)QY_AMOUNT_SCALE * s->o.period.months);
	m->index = idx < 0 ? 0 : idx > 1000 ? 1000 : idx;
}

/* What a row is sorted and ranked by. */
struct sort_item {
	long long key;	/* the rounded index, tenths; higher first */
	const char *id; /* then byte order */
	int64_t group;	/* for ranks within a branch */
	uint32_t idx;
};

static int
by_key_then_id(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int
by_group_key_id(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return by_key_then_id(a, b);
}

/* Competition ranks (1, 2, 2, 4) over items sorted best first; within runs
 * of one group when by_group. */
static void
assign_ranks(const struct sort_item *it, size_t n, int by_group, uint32_t *rank_of)
{
	uint32_t rank = 0;
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (by_group && i > 0 && it[i].group != it[i - 1].group)
			start = i;
		if (i == start || it[i].key != it[i - 1].key)
			rank = (uint32_t)(i - start + 1);
		rank_of[it[i].idx] = rank;
	}
}

static void
put_tab(struct qy_out *o)
{
	qy_out_putc(o, '\t');
}

static void
put_text(struct qy_out *o, const struct qy_score *s, struct text_ref r)
{
	qy_tsv_put_field(o, text_of(s, r), r.len);
}

static void
put_tenths(struct qy_out *o, long long tenths)
{
	char buf[24];
	qy_out_write(o, buf, qy_tenths_format(tenths, buf));
}

static void
put_uint(struct qy_out *o, unsigned long long v)
{
	char buf[24];
	size_t n = sizeof buf;
	do {
		buf[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	qy_out_write(o, buf + n, sizeof buf - n);
}

static void
put_amount(struct qy_out *o, long long amount)
{
	put_tenths(o, qy_round_tenths(amount, QY_AMOUNT_SCALE));
}

static int
member_counts(const struct qy_score *s, const struct member *m)
{
	return s->member_roster == NULL || m->in_roster;
}

static void
write_member_header(const struct qy_score *s, struct qy_out *o)
{
	static const char *const cols[] = {"member_id",	  "name",    "branch_id", "member_kind",
					   "points",	  "index",   "stars",	  "rank",
					   "branch_rank", "inactive"};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		if (i > 0)
			put_tab(o);
		qy_out_puts(o, cols[i]);
	}
	for (size_t k = 0; k < s->nkinds_member; k++) {
		qy_out_puts(o, "\tpts_");
		qy_out_puts(o, s->o.rules->kind[QY_LEVEL_MEMBER][k].name);
	}
	qy_out_putc(o, '\n');
}

static void
write_member_row(const struct qy_score *s, struct qy_out *o, size_t i, uint32_t rank,
		 uint32_t branch_rank)
{
	const struct member *m = &s->member[i];
	qy_tsv_put_field(o, qy_smap_key(&s->member_ids, m->id_off), m->id_len);
	put_tab(o);
	put_text(o, s, m->name);
	put_tab(o);
	if (m->branch >= 0) {
		const struct branch *b = &s->branch[m->branch];
		qy_tsv_put_field(o, qy_smap_key(&s->branch_ids, b->id_off), b->id_len);
	}
	put_tab(o);
	if (m->kind_code >= 0)
		qy_out_puts(o, qy_code_name(QY_T_MEMBER_KIND, m->kind_code));
	put_tab(o);
	put_amount(o, m->points);
	put_tab(o);
	put_tenths(o, m->index);
	put_tab(o);
	int vetoed = s->o.rules->veto_kind >= 0 && member_violations(s, i) > 0;
	qy_out_putc(o, (char)('0' + (vetoed ? 1 : qy_stars(m->index))));
	put_tab(o);
	put_uint(o, rank);
	put_tab(o);
	if (m->branch >= 0)
		put_uint(o, branch_rank);
	put_tab(o);
	qy_out_puts(o, (member_flags(s, i) & M_SCORED) ? "no" : "yes");
	for (size_t k = 0; k < s->nkinds_member; k++) {
		put_tab(o);
		put_amount(o, kind_points(s, i, k));
	}
	qy_out_putc(o, '\n');
}

static void
write_members(struct qy_score *s, struct qy_out *o)
{
	struct sort_item *it = qy_xmalloc((s->nmembers + 1) * sizeof *it);
	size_t n = 0;
	for (size_t i = 0; i < s->nmembers; i++) {
		struct member *m = &s->member[i];
		if (!member_counts(s, m))
			continue;
		it[n].key = m->index;
		it[n].id = qy_smap_key(&s->member_ids, m->id_off);
		it[n].group = m->branch;
		it[n].idx = (uint32_t)i;
		n++;
	}
	uint32_t *rank = qy_xcalloc(s->nmembers + 1, sizeof *rank);
	uint32_t *branch_rank = qy_xcalloc(s->nmembers + 1, sizeof *branch_rank);
	qsort(it, n, sizeof *it, by_group_key_id);
	assign_ranks(it, n, 1, branch_rank);
	qsort(it, n, sizeof *it, by_key_then_id);
	assign_ranks(it, n, 0, rank);
	write_member_header(s, o);
	for (size_t i = 0; i < n; i++)
		write_member_row(s, o, it[i].idx, rank[it[i].idx], branch_rank[it[i].idx]);
	free(rank);
	free(branch_rank);
	free(it);
}

/* ---- the bastion index ---- */

/* A component of the bastion index: a fraction 0..100, or absent. */
struct component {
	int present;
	struct qy_rat v;
};

static struct component
absent(void)
{
	struct component c = {0, {0, 1}};
	return c;
}

static struct component
fraction(qy_wide n, qy_wide d)
{
	struct component c = {1, qy_rat_make(n, d)};
	return c;
}

/* 100 × Σ_k min(held_k, required_k) / Σ_k required_k over the branch kinds
 * with an org-life role: a monthly kind is required each month of the period
 * and met by an event in that month; a quarterly kind is required each
 * quarter that ends inside the period and met by an event anywhere in it. */
static struct component
org_life(const struct qy_score *s, const struct branch *b)
{
	const struct qy_period *p = &s->o.period;
	const uint8_t *ev = b->events ? s->events + (b->events - 1) * s->event_block : NULL;
	long required = 0, held = 0;
	for (size_t k = 0; k < s->nkinds_branch; k++) {
		for (long mo = p->first_month; mo <= p->last_month; mo++) {
			long w = mo - p->window_month;
			if (s->role[k] == ORG_MONTHLY) {
				required++;
				held += ev != NULL && ev[(size_t)w * s->nkinds_branch + k];
			} else if (s->role[k] == ORG_QUARTERLY && qy_period_quarter_due(p, mo)) {
				required++;
				int met = 0;
				for (long q = w - 2; q <= w; q++)
					met |= ev != NULL && ev[(size_t)q * s->nkinds_branch + k];
				held += met;
			}
		}
	}
	return required ? fraction(100 * (qy_wide)held, required) : absent();
}

/* 60 × completion + 40 × satisfaction, or either alone × 100, over the
 * demands of the branch's community submitted in the period. */
static struct component
service(const struct qy_score *s, const struct branch *b)
{
	if (!s->have_demands || b->community.len == 0)
		return absent();
	const char *community = text_of(s, b->community);
	long i;
	if (b->street.len > 0) {
		struct qy_buf key = {0};
		qy_buf_add(&key, text_of(s, b->street), b->street.len);
		qy_buf_addc(&key, '\x1f');
		qy_buf_add(&key, community, b->community.len);
		i = qy_smap_get(&s->service_by_street, key.data, key.len);
		qy_buf_free(&key);
	} else {
		i = qy_smap_get(&s->service_by_community, community, b->community.len);
	}
	if (i < 0)
		return absent();
	const struct service *v = &s->service[i];
	long long open_total = v->all - v->closed;
	/* completion = done / (all − closed); satisfaction = (mean − 1) / 4 */
	struct qy_rat completion = qy_rat_make(v->done, open_total > 0 ? open_total : 1);
	struct qy_rat satisfaction =
	    qy_rat_make(v->sat_sum - v->rated, 4 * (v->rated ? v->rated : 1));
	if (open_total > 0 && v->rated > 0) {
		struct qy_rat a = qy_rat_mul(qy_rat_make(60, 1), completion);
		struct qy_rat c = qy_rat_mul(qy_rat_make(40, 1), satisfaction);
		struct component r = {1, qy_rat_add(a, c)};
		return r;
	}
	if (open_total > 0)
		return fraction(100 * completion.n, completion.d);
	if (v->rated > 0)
		return fraction(100 * satisfaction.n, satisfaction.d);
	return absent();
}

enum { C_ORG_LIFE, C_VANGUARD, C_PARTICIPATION, C_SERVICE, NCOMPONENTS };
static const int component_weight[NCOMPONENTS] = {30, 30, 15, 25};

struct bastion {
	struct component c[NCOMPONENTS];
	long long penalty; /* points, 0..30 */
	long long index;   /* tenths */
};

static void
compute_branch(const struct qy_score *s, const struct branch *b, struct bastion *r)
{
	r->c[C_ORG_LIFE] = org_life(s, b);
	r->c[C_VANGUARD] = b->members ? fraction(b->sum_index, 10 * (qy_wide)b->members) : absent();
	r->c[C_PARTICIPATION] =
	    b->members ? fraction(100 * (qy_wide)b->positive, b->members) : absent();
	r->c[C_SERVICE] = service(s, b);
	r->penalty = b->violations >= 3 ? 30 : 10 * (long long)b->violations;
	/* The weights of absent components are shared among the present ones
	 * in proportion: Σ w·c / Σ w over the present ones. */
	struct qy_rat sum = qy_rat_make(0, 1);
	long long weights = 0;
	for (int i = 0; i < NCOMPONENTS; i++) {
		if (!r->c[i].present)
			continue;
		sum = qy_rat_add(sum, qy_rat_mul(qy_rat_make(component_weight[i], 1), r->c[i].v));
		weights += component_weight[i];
	}
	if (weights > 0)
		sum = qy_rat_div(sum, qy_rat_make(weights, 1));
	sum = qy_rat_add(sum, qy_rat_make(-r->penalty, 1));
	r->index = qy_rat_tenths(qy_rat_clamp(sum, 0, 100));
}

static void
put_component(struct qy_out *o, struct component c)
{
	put_tab(o);
	if (c.present)
		put_tenths(o, qy_rat_tenths(c.v));
}

static void
write_branch_row(const struct qy_score *s, struct qy_out *o, const struct branch *b,
		 const struct bastion *r, uint32_t rank)
{
	qy_tsv_put_field(o, qy_smap_key(&s->branch_ids, b->id_off), b->id_len);
	put_tab(o);
	put_text(o, s, b->name);
	put_tab(o);
	put_text(o, s, b->street);
	put_tab(o);
	put_text(o, s, b->community);
	put_tab(o);
	put_uint(o, b->members);
	for (int i = 0; i < NCOMPONENTS; i++)
		put_component(o, r->c[i]);
	put_tab(o);
	put_tenths(o, 10 * r->penalty);
	put_tab(o);
	put_tenths(o, r->index);
	put_tab(o);
	qy_out_putc(o, qy_grade(r->index));
	put_tab(o);
	qy_out_putc(o, (char)('0' + qy_stars(r->index)));
	put_tab(o);
	put_uint(o, rank);
	qy_out_putc(o, '\n');
}

static int
branch_counts(const struct qy_score *s, const struct branch *b)
{
	return s->branch_roster == NULL || b->in_roster;
}

static void
gather_members(struct qy_score *s)
{
	for (size_t i = 0; i < s->nmembers; i++) {
		const struct member *m = &s->member[i];
		if (!member_counts(s, m) || m->branch < 0)
			continue;
		struct branch *b = &s->branch[m->branch];
		b->members++;
		b->sum_index += m->index;
		b->positive += (member_flags(s, i) & M_POSITIVE) != 0;
		long long v = member_violations(s, i);
		b->violations += v > 3 ? 3 : (uint32_t)v;
		if (b->violations > 3)
			b->violations = 3;
	}
}

static void
write_branches(struct qy_score *s, struct qy_out *o)
{
	static const char *const cols[] = {
	    "branch_id",     "name",	"street",  "community", "members", "org_life", "vanguard",
	    "participation", "service", "penalty", "index",	"grade",   "stars",    "rank",
	};
	gather_members(s);
	struct bastion *r = qy_xcalloc(s->nbranches + 1, sizeof *r);
	struct sort_item *it = qy_xmalloc((s->nbranches + 1) * sizeof *it);
	size_t n = 0;
	for (size_t i = 0; i < s->nbranches; i++) {
		const struct branch *b = &s->branch[i];
		if (!branch_counts(s, b))
			continue;
		compute_branch(s, b, &r[i]);
		it[n].key = r[i].index;
		it[n].id = qy_smap_key(&s->branch_ids, b->id_off);
		it[n].group = 0;
		it[n].idx = (uint32_t)i;
		n++;
	}
	uint32_t *rank = qy_xcalloc(s->nbranches + 1, sizeof *rank);
	qsort(it, n, sizeof *it, by_key_then_id);
	assign_ranks(it, n, 0, rank);
	qy_tsv_put_header(o, cols, sizeof cols / sizeof cols[0]);
	for (size_t i = 0; i < n; i++)
		write_branch_row(s, o, &s->branch[it[i].idx], &r[it[i].idx], rank[it[i].idx]);
	free(rank);
	free(it);
	free(r);
}

void
qy_score_write(struct qy_score *s, struct qy_out *o)
{
	for (size_t i = 0; i < s->nmembers; i++)
		compute_member(s, i);
	if (s->o.level == QY_LEVEL_MEMBER)
		write_members(s, o);
	else
		write_branches(s, o);
}
