/* match_out.c — the dispatch list of SPEC 4 "Output": per demand in input
 * order its served rows (resource input order), then one row for what is
 * left unserved, with the reason and whom to escalate to (吹哨报到). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "match_int.h"
#include "out.h"
#include "tsv.h"

void
qy_match_solve(struct qy_match *m)
{
	m_prepare(m);
	m_trace(m, "prepared: %d groups, %d localities", (int)m->ngroups, (int)m->locs.n);
	m_keywords(m);
	m_trace(m, "keywords: %d keys, %d signatures, %d patterns", (int)m->kks.n, (int)m->sigs.n,
		(int)m->pattern_text.n);
	m_solve_all(m);
	m_trace(m, "solved");
	m->solved = 1;
}

static const char *const header[] = {"demand_id", "resource_id", "unit",     "units",	  "score",
				     "tier",	  "paired",	 "keyword",  "district",  "street",
				     "community", "category",	 "priority", "submitted", "reason",
				     "escalate",  "why"};

static const char *const tier_name[] = {"community", "street", "district"};

static void
put(struct qy_out *o, const char *s)
{
	qy_tsv_put_field(o, s, strlen(s));
	qy_out_putc(o, '\t');
}

static void
put_text(struct qy_out *o, const struct qy_match *m, int32_t id)
{
	if (id >= 0)
		qy_tsv_put_field(o, m_pool_str(&m->text, id), m->text.len[id]);
	qy_out_putc(o, '\t');
}

static void
put_num(struct qy_out *o, int64_t x)
{
	char b[32];
	int n = snprintf(b, sizeof b, "%" PRId64, x);
	qy_out_write(o, b, (size_t)n);
	qy_out_putc(o, '\t');
}

/* The columns from district to submitted. */
static void
put_demand_tail(struct qy_out *o, const struct qy_match *m, const struct m_demand *d)
{
	const int32_t *loc = m->locs.key + 3 * d->loc;
	put_text(o, m, loc[0]);
	put_text(o, m, loc[1]);
	put_text(o, m, loc[2]);
	put(o, qy_code_name(QY_T_CATEGORY, d->category));
	put(o, qy_code_name(QY_T_PRIORITY, d->priority));
	char day[11];
	qy_date_format(d->submitted, day);
	put(o, day);
}

static void
signed_term(struct qy_buf *b, const char *what, int w)
{
	qy_buf_printf(b, "%s (%+d)", what, w);
}

static void
why_served(struct qy_buf *b, const struct qy_match *m, const struct m_demand *d,
	   const struct m_resource *r)
{
	const struct qy_match_weights *w = &m->o.w;
	int tier, paired, keyword;
	int s = m_score(m, d, r, &tier, &paired, &keyword);
	int tw = tier == M_TIER_COMMUNITY ? w->community
		 : tier == M_TIER_STREET  ? w->street
					  : w->district;
	static const char *const tier_words[] = {"serves its community", "serves its street",
						 "serves its whole district"};
	signed_term(b, tier_words[tier], tw);
	if (paired) {
		qy_buf_adds(b, ", ");
		signed_term(b, "paired with its community", w->paired);
	}
	if (keyword) {
		qy_buf_adds(b, ", ");
		signed_term(b, "keywords match the request", w->keyword);
	}
	if (d->weeks > 0) {
		char what[48];
		snprintf(what, sizeof what, "waited %d week%s", d->weeks, d->weeks > 1 ? "s" : "");
		qy_buf_adds(b, ", ");
		signed_term(b, what, d->weeks * w->wait);
	}
	qy_buf_printf(b, ": %d a unit", s);
}

static void
why_unserved(struct qy_buf *b, const struct qy_match *m, const struct m_demand *d)
{
	const char *cat = qy_code_name(QY_T_CATEGORY, d->category);
	const char *comm = m_pool_str(&m->text, m->locs.key[3 * d->loc + 2]);
	if (d->reason == M_NOT_OPEN) {
		qy_buf_printf(b, "status is %s, not open: nothing dispatched",
			      qy_code_name(QY_T_STATUS, d->status));
		return;
	}
	if (d->reason == M_CAPACITY) {
		if (d->served > 0)
			qy_buf_printf(b, "%d of %d units served; ", (int)d->served,
				      (int)d->quantity);
		qy_buf_adds(b, "its eligible resources have no capacity left (claims, or demands "
			       "ranked higher by priority and score): the street must help");
		return;
	}
	int32_t lc = d->loc * M_NCAT + d->category;
	size_t reach = 0;
	for (int32_t i = m->lc_group_off[lc]; i < m->lc_group_off[lc + 1]; i++)
		reach += m->groups[m->lc_groups.v[i]].res.n;
	if (reach == 0)
		qy_buf_printf(b, "no %s resource serves %s: the district must help", cat, comm);
	else
		qy_buf_printf(b,
			      "%zu %s resource%s serve%s %s, but none is available for its dates: "
			      "the district must help",
			      reach, cat, reach > 1 ? "s" : "", reach > 1 ? "" : "s", comm);
}

/* Ends a row after the escalate column: the why column, if asked for. */
static void
end_row(struct qy_out *o, const struct qy_match *m, struct qy_buf *why)
{
	if (m->o.explain) {
		qy_out_putc(o, '\t');
		qy_tsv_put_field(o, why->data, why->len);
	}
	qy_out_putc(o, '\n');
}

static void
write_served(struct qy_out *o, const struct qy_match *m, const struct m_demand *d,
	     const struct m_row *row, struct qy_buf *why)
{
	const struct m_resource *r = &m->res[row->resource];
	int tier, paired, keyword;
	int s = m_score(m, d, r, &tier, &paired, &keyword);
	qy_tsv_put_field(o, m_pool_str(&m->demand_ids, d->id), m->demand_ids.len[d->id]);
	qy_out_putc(o, '\t');
	qy_tsv_put_field(o, m_pool_str(&m->resource_ids, r->id), m->resource_ids.len[r->id]);
	qy_out_putc(o, '\t');
	put_text(o, m, r->unit);
	put_num(o, row->units);
	put_num(o, s);
	put(o, tier_name[tier]);
	put(o, paired ? "yes" : "no");
	put(o, keyword ? "yes" : "no");
	put_demand_tail(o, m, d);
	qy_out_putc(o, '\t'); /* empty reason and escalate */
	qy_buf_reset(why);
	if (m->o.explain)
		why_served(why, m, d, r);
	end_row(o, m, why);
}

static void
write_unserved(struct qy_out *o, const struct qy_match *m, const struct m_demand *d,
	       struct qy_buf *why)
{
	static const char *const reason[] = {"", "not_open", "no_resource", "capacity"};
	static const char *const escalate[] = {"", "", "district", "street"};
	qy_tsv_put_field(o, m_pool_str(&m->demand_ids, d->id), m->demand_ids.len[d->id]);
	qy_out_write(o, "\t\t\t", 3);
	put_num(o, (int64_t)d->quantity - d->served);
	qy_out_write(o, "\t\t\t\t", 4);
	put_demand_tail(o, m, d);
	put(o, reason[d->reason]);
	qy_out_puts(o, escalate[d->reason]);
	qy_buf_reset(why);
	if (m->o.explain)
		why_unserved(why, m, d);
	end_row(o, m, why);
}

void
qy_match_write(struct qy_match *m, struct qy_out *o)
{
	qy_tsv_put_header(o, header, m->o.explain ? 17 : 16);
	struct qy_buf why = {0};
	for (int32_t i = 0; i < m->ndem; i++) {
		const struct m_demand *d = &m->dem[i];
		if (d->status == QY_ST_OPEN && m->solved)
			for (int32_t k = 0; k < d->nrows; k++)
				write_served(o, m, d, &m->rows[d->first_row + k], &why);
		if (d->status != QY_ST_OPEN || d->served < d->quantity)
			write_unserved(o, m, d, &why);
	}
	qy_buf_free(&why);
}

void
qy_match_get_objective(const struct qy_match *m, struct qy_match_objective *obj)
{
	memset(obj, 0, sizeof *obj);
	for (size_t i = 0; i < m->nrows; i++) {
		const struct m_row *row = &m->rows[i];
		const struct m_demand *d = &m->dem[row->demand];
		int tier, paired, keyword;
		int s = m_score(m, d, &m->res[row->resource], &tier, &paired, &keyword);
		if (d->priority == QY_PRI_CRITICAL)
			obj->critical += row->units;
		else if (d->priority == QY_PRI_URGENT)
			obj->urgent += row->units;
		else
			obj->normal += row->units;
		obj->score += row->units * s;
	}
}
