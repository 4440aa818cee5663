/* report_match.c — the match section: what qy-match dispatched and what it
 * could not, and the 吹哨报到 list of the unserved, grouped by the level it
 * goes up to (escalate) and street. */
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "report_int.h"

enum { NCAT = 6, NTIER = 3, NREASON = 3 };

static const char *const cat_names[NCAT] = {"gov", "life", "legal", "culture", "care", "party"};
static const char *const tier_names[NTIER] = {"community", "street", "district"};
static const char *const reason_names[NREASON] = {"not_open", "no_resource", "capacity"};

/* One unserved demand on the escalation list. */
struct escal_row {
	char *escalate, *street, *community, *id, *category, *submitted, *reason;
	int priority; /* enum qy_priority, for the order within a street */
	int64_t units;
	size_t order;			   /* input order, the last tie-break */
	char *content, *requester, *phone; /* from the demand input, if any */
	int filled;
};

struct qy_escal {
	struct escal_row *rows;
	size_t n, cap;
	struct qy_strmap ids; /* demand_id → rows index (first wins) */
	long *first;
	int joined; /* a demand input was read */
};

/* Per unit (共建单位): units served, demands served. */
struct unit_stats {
	int64_t units, demands;
	size_t last_demand; /* demand sequence number last counted */
};

struct mstate {
	int64_t requested, served, unserved, not_open, local;
	int64_t tier_units[NTIER], tier_rows[NTIER];
	int64_t cat_requested[NCAT], cat_served[NCAT];
	int64_t reason_units[NREASON], reason_rows[NREASON];
	struct qy_strmap units;
	struct unit_stats *ustats;
	/* the demand whose rows are being read (rows of a demand are consecutive) */
	struct qy_buf cur_id;
	int have_cur;
	size_t cur_seq; /* 1, 2, … a number per demand read */
	int64_t cur_served, cur_unserved;
	int cur_open;
	int64_t demands, full, part, none;
	struct qy_escal *escal;
	struct qy_buf why;
};

struct mcols {
	int id, resource_id, unit, units, tier, street, community, category, priority, submitted,
	    reason, escalate;
};

struct mrow {
	int64_t units;
	int tier, category, reason, priority; /* tier, reason: -1 when empty */
	qy_day submitted;
};

static int
code_of(const struct qy_str *v, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (qy_str_eq(*v, names[i]))
			return i;
	return -1;
}

static int
parse_units(const struct qy_str *v, int64_t *out)
{
	if (v->len == 0 || v->len > 12)
		return -1;
	int64_t n = 0;
	for (size_t i = 0; i < v->len; i++) {
		if (v->p[i] < '0' || v->p[i] > '9')
			return -1;
		n = n * 10 + (v->p[i] - '0');
	}
	*out = n;
	return 0;
}

static int
bad(struct qy_input *in, struct qy_diag *d, struct mstate *m, const char *col,
    const struct qy_str *v, const char *expected)
{
	qy_buf_reset(&m->why);
	if (v->len == 0)
		qy_buf_printf(&m->why, "empty, expected %s", expected);
	else {
		qy_buf_add_quoted(&m->why, v->p, v->len);
		qy_buf_printf(&m->why, ": not %s", expected);
	}
	qy_input_problem(d, in, in->tsv.line, col, m->why.data);
	return -1;
}

static int
parse_mrow(struct qy_input *in, const struct mcols *c, struct mstate *m, struct mrow *r,
	   struct qy_diag *d)
{
	const struct qy_str *f = in->tsv.fields;
	if (parse_units(&f[c->units], &r->units) != 0)
		return bad(in, d, m, "units", &f[c->units], "a whole number of units");
	r->reason = code_of(&f[c->reason], reason_names, NREASON);
	if (r->reason < 0 && f[c->reason].len > 0)
		return bad(in, d, m, "reason", &f[c->reason],
			   "a reason (not_open, no_resource, capacity, or empty)");
	r->tier = code_of(&f[c->tier], tier_names, NTIER);
	if (r->reason < 0 && r->tier < 0)
		return bad(in, d, m, "tier", &f[c->tier], "a tier (community, street, district)");
	r->category = code_of(&f[c->category], cat_names, NCAT);
	if (r->category < 0) {
		int code = qy_code_parse(QY_T_CATEGORY, f[c->category].p, f[c->category].len);
		if (code < 0 || code >= NCAT)
			return bad(in, d, m, "category", &f[c->category], "a category");
		r->category = code;
	}
	r->priority = QY_PRI_NORMAL;
	if (c->priority >= 0 && f[c->priority].len > 0) {
		r->priority = qy_code_parse(QY_T_PRIORITY, f[c->priority].p, f[c->priority].len);
		if (r->priority < 0)
			return bad(in, d, m, "priority", &f[c->priority],
				   "a priority (normal, urgent, critical)");
	}
	qy_buf_reset(&m->why);
	if (qy_rdate(f[c->submitted].p, f[c->submitted].len, &r->submitted, &m->why) != 0) {
		qy_input_problem(d, in, in->tsv.line, "submitted", m->why.data);
		return -1;
	}
	return 0;
}

static int
in_month(const struct qy_report_opts *o, qy_day day)
{
	if (o->month_y == 0)
		return 1;
	int y, mo, dd;
	qy_date_to_ymd(day, &y, &mo, &dd);
	return y == o->month_y && mo == o->month_m;
}

/* Ends the demand whose rows were being read. */
static void
end_demand(struct mstate *m)
{
	if (!m->have_cur || !m->cur_open)
		return;
	m->demands++;
	if (m->cur_unserved == 0)
		m->full++;
	else if (m->cur_served > 0)
		m->part++;
	else
		m->none++;
}

static void
track_demand(struct mstate *m, const struct qy_str *id, const struct mrow *r)
{
	if (!m->have_cur || qy_bytes_cmp(id->p, id->len, m->cur_id.data, m->cur_id.len) != 0) {
		end_demand(m);
		qy_buf_reset(&m->cur_id);
		qy_buf_add(&m->cur_id, id->p, id->len);
		m->have_cur = 1;
		m->cur_seq++;
		m->cur_served = m->cur_unserved = 0;
		m->cur_open = 0;
	}
	if (r->reason == 0)
		return; /* not open: no part of the dispatch */
	m->cur_open = 1;
	if (r->reason < 0)
		m->cur_served += r->units;
	else
		m->cur_unserved += r->units;
}

static void
count_unit(struct mstate *m, const struct qy_str *unit, const struct mrow *r)
{
	int added;
	size_t k = qy_strmap_put(&m->units, unit->p, unit->len, qy_strmap_hash(unit->p, unit->len),
				 &added);
	if (added) {
		m->ustats = qy_xrealloc(m->ustats, m->units.n * sizeof *m->ustats);
		m->ustats[k] = (struct unit_stats){0, 0, 0};
	}
	m->ustats[k].units += r->units;
	if (m->ustats[k].last_demand != m->cur_seq) {
		m->ustats[k].demands++;
		m->ustats[k].last_demand = m->cur_seq;
	}
}

static char *
dup_field(const struct qy_str *f, int col)
{
	return col >= 0 ? qy_xmemdup(f[col].p, f[col].len) : qy_xstrdup("");
}

static void
add_escalation(struct qy_escal *e, const struct qy_str *f, const struct mcols *c,
	       const struct mrow *r)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 64;
		e->rows = qy_xrealloc(e->rows, e->cap * sizeof *e->rows);
	}
	struct escal_row *x = &e->rows[e->n];
	memset(x, 0, sizeof *x);
	x->escalate = dup_field(f, c->escalate);
	x->street = dup_field(f, c->street);
	x->community = dup_field(f, c->community);
	x->id = dup_field(f, c->id);
	x->category = qy_xstrdup(cat_names[r->category]);
	x->submitted = dup_field(f, c->submitted);
	x->reason = qy_xstrdup(reason_names[r->reason]);
	x->priority = r->priority;
	x->units = r->units;
	x->order = e->n;
	int added;
	size_t k = qy_strmap_put(&e->ids, f[c->id].p, f[c->id].len,
				 qy_strmap_hash(f[c->id].p, f[c->id].len), &added);
	if (added) {
		e->first = qy_xrealloc(e->first, e->ids.n * sizeof *e->first);
		e->first[k] = (long)e->n;
	}
	e->n++;
}

static void
match_row(struct mstate *m, const struct qy_str *f, const struct mcols *c, const struct mrow *r)
{
	track_demand(m, &f[c->id], r);
	if (r->reason == 0) {
		m->not_open += r->units;
		m->reason_units[0] += r->units;
		m->reason_rows[0]++;
		return;
	}
	m->requested += r->units;
	m->cat_requested[r->category] += r->units;
	if (r->reason > 0) {
		m->unserved += r->units;
		m->reason_units[r->reason] += r->units;
		m->reason_rows[r->reason]++;
		if (c->escalate >= 0 && f[c->escalate].len > 0)
			add_escalation(m->escal, f, c, r);
		return;
	}
	m->served += r->units;
	m->cat_served[r->category] += r->units;
	m->tier_units[r->tier] += r->units;
	m->tier_rows[r->tier]++;
	if (r->tier == 0)
		m->local += r->units;
	if (c->unit >= 0)
		count_unit(m, &f[c->unit], r);
}

static void
read_match(const struct qy_report_opts *o, struct qy_input *in, struct mstate *m, struct qy_diag *d)
{
	struct mcols c = {
	    qy_input_col(in, "demand_id"), qy_input_col(in, "resource_id"),
	    qy_input_col(in, "unit"),	   qy_input_col(in, "units"),
	    qy_input_col(in, "tier"),	   qy_input_col(in, "street"),
	    qy_input_col(in, "community"), qy_input_col(in, "category"),
	    qy_input_col(in, "priority"),  qy_input_col(in, "submitted"),
	    qy_input_col(in, "reason"),	   qy_input_col(in, "escalate"),
	};
	if (c.category < 0 || c.submitted < 0 || c.street < 0 || c.community < 0)
		qy_fatal_at(d, in->tsv.name, 1,
			    "match output without its street, community, category or submitted "
			    "column (qy-match writes them all)");
	while (qy_input_next(in, d)) {
		struct mrow r;
		if (parse_mrow(in, &c, m, &r, d) != 0)
			continue;
		if (!in_month(o, r.submitted)) {
			in->filtered++;
			continue;
		}
		match_row(m, in->tsv.fields, &c, &r);
	}
	end_demand(m);
	m->have_cur = 0; /* the next input's first demand is a new one */
	qy_input_finish(in, d);
}

/* ---- tables ---- */

static void
metric(struct qy_tab *t, const char *key, int64_t num, int64_t den, int rate)
{
	struct qy_cell *row = qy_tab_row(t);
	qy_cell_term(&row[0], "metric", key);
	if (rate)
		qy_cell_rate(&row[1], num, den);
	else
		qy_cell_int(&row[1], num);
}

static const struct qy_col metric_cols[] = {
    {"metric", "指标", "metric"},
    {"value", "数值", "value"},
};

static void
summary_table(const struct mstate *m, struct qy_tabs *out)
{
	struct qy_tab *t =
	    qy_tab_new("match_summary", "派单概况", "Dispatch summary", metric_cols, 2);
	metric(t, "open_demands", m->demands, 0, 0);
	metric(t, "demands_full", m->full, 0, 0);
	metric(t, "demands_part", m->part, 0, 0);
	metric(t, "demands_none", m->none, 0, 0);
	metric(t, "units_requested", m->requested, 0, 0);
	metric(t, "units_served", m->served, 0, 0);
	metric(t, "match_rate", m->served, m->requested, 1);
	metric(t, "units_local", m->local, 0, 0);
	metric(t, "local_share", m->local, m->served, 1);
	metric(t, "units_unserved", m->unserved, 0, 0);
	metric(t, "units_not_open", m->not_open, 0, 0);
	qy_tabs_add(out, t, QY_SEC_MATCH);
}

static void
tier_table(const struct mstate *m, struct qy_tabs *out)
{
	static const struct qy_col cols[] = {
	    {"tier", "层级", "tier"},
	    {"dispatches", "派单笔数", "dispatches"},
	    {"units", "数量", "units"},
	    {"share", "占比", "share"},
	};
	struct qy_tab *t =
	    qy_tab_new("match_by_tier", "按层级派单（社区、街道、区）", "Served by tier", cols, 4);
	for (int i = 0; i < NTIER; i++) {
		struct qy_cell *row = qy_tab_row(t);
		qy_cell_term(&row[0], "tier", tier_names[i]);
		qy_cell_int(&row[1], m->tier_rows[i]);
		qy_cell_int(&row[2], m->tier_units[i]);
		qy_cell_rate(&row[3], m->tier_units[i], m->served);
	}
	t->chart = (struct qy_chart){0, 2, -1, 0};
	qy_tabs_add(out, t, QY_SEC_MATCH);
}

static void
category_table(const struct mstate *m, struct qy_tabs *out)
{
	static const struct qy_col cols[] = {
	    {"category", "服务类别", "category"},
	    {"units_requested", "待派单数量", "requested"},
	    {"units_served", "已派单数量", "served"},
	    {"match_rate", "派单率", "match rate"},
	};
	struct qy_tab *t =
	    qy_tab_new("match_by_category", "按服务类别派单", "Served by category", cols, 4);
	/* Byte order of the codes, as every keyed table. */
	static const int order[NCAT] = {4, 3, 0, 2, 1, 5}; /* care culture gov legal life party */
	for (int k = 0; k < NCAT; k++) {
		int i = order[k];
		struct qy_cell *row = qy_tab_row(t);
		qy_cell_term(&row[0], "category", cat_names[i]);
		qy_cell_int(&row[1], m->cat_requested[i]);
		qy_cell_int(&row[2], m->cat_served[i]);
		qy_cell_rate(&row[3], m->cat_served[i], m->cat_requested[i]);
	}
	struct qy_cell *row = qy_tab_row(t);
	qy_cell_term(&row[0], "group", "total");
	qy_cell_int(&row[1], m->requested);
	qy_cell_int(&row[2], m->served);
	qy_cell_rate(&row[3], m->served, m->requested);
	t->total_row = 1;
	t->chart = (struct qy_chart){0, 3, -1, 0};
	qy_tabs_add(out, t, QY_SEC_MATCH);
}

struct unit_ref {
	const char *name;
	size_t len;
	const struct unit_stats *s;
};

static int
by_units(const void *x, const void *y)
{
	const struct unit_ref *a = x, *b = y;
	if (a->s->units != b->s->units)
		return a->s->units > b->s->units ? -1 : 1;
	if (a->s->demands != b->s->demands)
		return a->s->demands > b->s->demands ? -1 : 1;
	return qy_bytes_cmp(a->name, a->len, b->name, b->len);
}

static void
unit_table(const struct qy_report_opts *o, const struct mstate *m, struct qy_tabs *out)
{
	static const struct qy_col cols[] = {
	    {"rank", "排名", "rank"},	    {"unit", "共建单位", "unit"},
	    {"units", "服务数量", "units"}, {"demands", "服务需求数", "demands"},
	    {"share", "占比", "share"},
	};
	struct qy_tab *t = qy_tab_new("unit_contribution", "", "", cols, 5);
	struct qy_buf title = {0};
	qy_buf_printf(&title, "共建单位贡献榜（前 %zu）", o->top);
	t->zh = qy_tab_own(t, title.data);
	qy_buf_reset(&title);
	qy_buf_printf(&title, "Unit contribution ranking (top %zu)", o->top);
	t->en = qy_tab_own(t, title.data);
	qy_buf_free(&title);
	struct unit_ref *v = qy_xcalloc(m->units.n ? m->units.n : 1, sizeof *v);
	for (size_t i = 0; i < m->units.n; i++)
		v[i] = (struct unit_ref){m->units.keys[i], m->units.lens[i], &m->ustats[i]};
	qsort(v, m->units.n, sizeof *v, by_units);
	for (size_t i = 0; i < m->units.n && i < o->top; i++) {
		struct qy_cell *row = qy_tab_row(t);
		size_t r = i;
		while (r > 0 && v[r - 1].s->units == v[i].s->units &&
		       v[r - 1].s->demands == v[i].s->demands)
			r--;
		qy_cell_int(&row[0], (int64_t)r + 1);
		qy_cell_text(&row[1], v[i].name, v[i].len, QY_MASK_NONE);
		qy_cell_int(&row[2], v[i].s->units);
		qy_cell_int(&row[3], v[i].s->demands);
		qy_cell_rate(&row[4], v[i].s->units, m->served);
	}
	free(v);
	t->chart = (struct qy_chart){1, 2, -1, 0};
	qy_tabs_add(out, t, QY_SEC_MATCH);
}

static void
reason_table(const struct mstate *m, struct qy_tabs *out)
{
	static const struct qy_col cols[] = {
	    {"reason", "原因", "reason"},
	    {"demands", "需求数", "demands"},
	    {"units", "数量", "units"},
	};
	struct qy_tab *t =
	    qy_tab_new("unserved_by_reason", "未派出原因", "Unserved by reason", cols, 3);
	for (int i = 0; i < NREASON; i++) {
		struct qy_cell *row = qy_tab_row(t);
		qy_cell_term(&row[0], "reason", reason_names[i]);
		qy_cell_int(&row[1], m->reason_rows[i]);
		qy_cell_int(&row[2], m->reason_units[i]);
	}
	t->chart = (struct qy_chart){0, 2, -1, 0};
	qy_tabs_add(out, t, QY_SEC_MATCH);
}

struct qy_escal *
qy_report_match(const struct qy_report_opts *o, struct qy_input *in, size_t nin,
		struct qy_tabs *out, struct qy_diag *d)
{
	struct mstate m;
	memset(&m, 0, sizeof m);
	int any = 0;
	for (size_t i = 0; i < nin; i++) {
		if (in[i].kind != QY_IN_MATCH)
			continue;
		if (!any)
			m.escal = qy_xcalloc(1, sizeof *m.escal);
		any = 1;
		read_match(o, &in[i], &m, d);
	}
	if (!any)
		return NULL;
	summary_table(&m, out);
	tier_table(&m, out);
	category_table(&m, out);
	unit_table(o, &m, out);
	reason_table(&m, out);
	qy_strmap_free(&m.units);
	free(m.ustats);
	qy_buf_free(&m.cur_id);
	qy_buf_free(&m.why);
	return m.escal;
}

/* ---- the escalation list (吹哨报到) ---- */

long
qy_escal_find(const struct qy_escal *e, const char *id, size_t n)
{
	return qy_strmap_find(&e->ids, id, n, qy_strmap_hash(id, n));
}

void
qy_escal_fill(struct qy_escal *e, long i, const struct qy_str *content,
	      const struct qy_str *requester, const struct qy_str *phone)
{
	/* The map holds the first row of each id; a demand has one unserved
	 * row, so that is the one. */
	struct escal_row *x = &e->rows[e->first[i]];
	if (x->filled)
		return;
	x->filled = 1;
	x->content = qy_xmemdup(content->p, content->len);
	x->requester = qy_xmemdup(requester->p, requester->len);
	x->phone = qy_xmemdup(phone->p, phone->len);
}

void
qy_escal_free(struct qy_escal *e)
{
	for (size_t i = 0; i < e->n; i++) {
		struct escal_row *x = &e->rows[i];
		free(x->escalate), free(x->street), free(x->community), free(x->id);
		free(x->category), free(x->submitted), free(x->reason);
		free(x->content), free(x->requester), free(x->phone);
	}
	free(e->rows);
	free(e->first);
	qy_strmap_free(&e->ids);
	free(e);
}

static int
escal_cmp(const void *x, const void *y)
{
	const struct escal_row *a = *(const struct escal_row *const *)x;
	const struct escal_row *b = *(const struct escal_row *const *)y;
	int c = strcmp(a->escalate, b->escalate);
	if (c == 0)
		c = strcmp(a->street, b->street);
	if (c == 0 && a->priority != b->priority)
		c = a->priority > b->priority ? -1 : 1; /* critical first */
	if (c == 0)
		c = strcmp(a->submitted, b->submitted);
	if (c == 0)
		c = strcmp(a->community, b->community);
	if (c == 0)
		c = strcmp(a->id, b->id);
	if (c == 0)
		c = a->order < b->order ? -1 : a->order > b->order;
	return c;
}

static void
escal_summary(struct escal_row *const *v, size_t n, struct qy_tabs *out)
{
	static const struct qy_col cols[] = {
	    {"escalate", "吹哨层级", "escalate to"},
	    {"street", "街道", "street"},
	    {"demands", "需求数", "demands"},
	    {"units", "数量", "units"},
	};
	struct qy_tab *t = qy_tab_new("escalation_summary", "吹哨报到汇总（按层级、街道）",
				      "Escalations by level and street", cols, 4);
	int64_t all_demands = 0, all_units = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		int64_t units = 0;
		while (j < n && strcmp(v[j]->escalate, v[i]->escalate) == 0 &&
		       strcmp(v[j]->street, v[i]->street) == 0)
			units += v[j++]->units;
		struct qy_cell *row = qy_tab_row(t);
		qy_cell_term(&row[0], "escalate", v[i]->escalate);
		qy_cell_key(&row[1], v[i]->street, strlen(v[i]->street), QY_MASK_NONE);
		qy_cell_int(&row[2], (int64_t)(j - i));
		qy_cell_int(&row[3], units);
		all_demands += (int64_t)(j - i);
		all_units += units;
		i = j;
	}
	struct qy_cell *row = qy_tab_row(t);
	qy_cell_term(&row[0], "group", "total");
	qy_cell_int(&row[2], all_demands);
	qy_cell_int(&row[3], all_units);
	t->total_row = 1;
	qy_tabs_add(out, t, QY_SEC_MATCH);
}

static void
text_cell(struct qy_cell *c, const char *s, enum qy_mask mask)
{
	qy_cell_text(c, s ? s : "", s ? strlen(s) : 0, mask);
}

static void
escal_list(struct escal_row *const *v, size_t n, int joined, struct qy_tabs *out)
{
	static const struct qy_col cols[] = {
	    {"escalate", "吹哨层级", "escalate to"},
	    {"street", "街道", "street"},
	    {"community", "社区", "community"},
	    {"demand_id", "需求编号", "demand"},
	    {"category", "服务类别", "category"},
	    {"priority", "紧急程度", "priority"},
	    {"submitted", "提交日期", "submitted"},
	    {"units", "数量", "units"},
	    {"reason", "原因", "reason"},
	    {"content", "需求内容", "content"},
	    {"requester", "居民姓名", "requester"},
	    {"phone", "联系电话", "phone"},
	};
	size_t ncols = joined ? 12 : 9;
	struct qy_tab *t = qy_tab_new("escalation_list", "吹哨报到清单（未能派出的需求）",
				      "Escalation list (demands not served)", cols, ncols);
	for (size_t i = 0; i < n; i++) {
		const struct escal_row *x = v[i];
		struct qy_cell *row = qy_tab_row(t);
		qy_cell_term(&row[0], "escalate", x->escalate);
		text_cell(&row[1], x->street, QY_MASK_NONE);
		text_cell(&row[2], x->community, QY_MASK_NONE);
		text_cell(&row[3], x->id, QY_MASK_NONE);
		qy_cell_term(&row[4], "category", x->category);
		qy_cell_term(&row[5], "priority", qy_code_name(QY_T_PRIORITY, x->priority));
		text_cell(&row[6], x->submitted, QY_MASK_NONE);
		qy_cell_int(&row[7], x->units);
		qy_cell_term(&row[8], "reason", x->reason);
		if (joined) {
			text_cell(&row[9], x->content, QY_MASK_NONE);
			text_cell(&row[10], x->requester, QY_MASK_NAME);
			text_cell(&row[11], x->phone, QY_MASK_PHONE);
		}
	}
	if (joined) {
		t->note_zh = "居民姓名和电话已脱敏（--show-personal 显示全文）。";
		t->note_en = "Names and phones are masked (--show-personal shows them).";
	}
	qy_tabs_add(out, t, QY_SEC_MATCH);
}

void
qy_escal_table(struct qy_escal *e, const struct qy_report_opts *o, int joined, struct qy_tabs *out)
{
	struct escal_row **v = qy_xcalloc(e->n ? e->n : 1, sizeof *v);
	for (size_t i = 0; i < e->n; i++)
		v[i] = &e->rows[i];
	qsort(v, e->n, sizeof *v, escal_cmp);
	escal_summary(v, e->n, out);
	escal_list(v, e->n, joined, out);
	if (o->show_personal && joined) {
		struct qy_tab *t = out->v[out->n - 1];
		t->note_zh = NULL;
		t->note_en = NULL;
	}
	free(v);
}
