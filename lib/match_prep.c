/* match_prep.c — the indexes qy-match's solver works from: resource groups
 * by scope and category, resources by unit, paired units by locality, and
 * per (locality, category) the groups that reach it with their dates.  Also
 * the eligibility and score of one (demand, resource) pair, as SPEC 4 says
 * them, for the output and its explanations. */
#include <stdlib.h>
#include <string.h>

#include "match_int.h"

static int
cmp_int32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

static void
sort_unique(struct m_ints *a)
{
	if (a->n < 2)
		return;
	qsort(a->v, a->n, sizeof *a->v, cmp_int32);
	size_t k = 1;
	for (size_t i = 1; i < a->n; i++)
		if (a->v[i] != a->v[k - 1])
			a->v[k++] = a->v[i];
	a->n = k;
}

/* The number of entries of the sorted a below x. */
static int32_t
rank_below(const struct m_ints *a, int32_t x)
{
	size_t lo = 0, hi = a->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a->v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int32_t)lo;
}

void
m_csr_build(int32_t nkeys, int32_t nitems, const int32_t *key_of, int32_t **off_out,
	    int32_t **items_out)
{
	int32_t *off = qy_xcalloc((size_t)nkeys + 1, sizeof *off);
	int32_t *items = qy_xmalloc(((size_t)nitems + 1) * sizeof *items);
	for (int32_t i = 0; i < nitems; i++)
		off[key_of[i] + 1]++;
	for (int32_t k = 0; k < nkeys; k++)
		off[k + 1] += off[k];
	int32_t *fill = qy_xmalloc(((size_t)nkeys + 1) * sizeof *fill);
	memcpy(fill, off, (size_t)nkeys * sizeof *fill);
	for (int32_t i = 0; i < nitems; i++)
		items[fill[key_of[i]]++] = i;
	free(fill);
	*off_out = off;
	*items_out = items;
}

/* Dates become ranks among the dates demands actually have, so that
 * resources (and windows) no demand can tell apart look the same:
 *   T1 = max(submitted, as-of) and T2 = needed_by (∞ when empty);
 *   t1i = #{T1 values ≤ T1}, t2i = #{T2 values < T2};
 *   nu = #{T1 values ≤ until} (∞ when empty), nf = #{T2 values < from} (0);
 * then until ≥ T1 ⇔ nu ≥ t1i, and from ≤ T2 ⇔ nf ≤ t2i.  In a nightly run
 * nearly every T1 is the as-of date, so every until collapses to "still
 * available" or "expired". */
static void
normalise_dates(struct qy_match *m)
{
	struct m_ints t1 = {0}, t2 = {0};
	for (int32_t i = 0; i < m->ndem; i++) {
		const struct m_demand *d = &m->dem[i];
		if (d->status != QY_ST_OPEN)
			continue;
		m_ints_push(&t1, d->submitted > m->o.as_of ? d->submitted : (int32_t)m->o.as_of);
		m_ints_push(&t2, d->needed_by);
	}
	sort_unique(&t1);
	sort_unique(&t2);
	for (int32_t i = 0; i < m->ndem; i++) {
		struct m_demand *d = &m->dem[i];
		int32_t T1 = d->submitted > m->o.as_of ? d->submitted : (int32_t)m->o.as_of;
		d->t1i = T1 == M_DAY_MAX ? (int32_t)t1.n : rank_below(&t1, T1 + 1);
		d->t2i = rank_below(&t2, d->needed_by);
	}
	for (int32_t i = 0; i < m->nres; i++) {
		struct m_resource *r = &m->res[i];
		r->nu = r->until == M_DAY_MAX ? INT32_MAX : rank_below(&t1, r->until + 1);
		r->nf = r->from == M_DAY_MIN ? 0 : rank_below(&t2, r->from);
	}
	m_ints_free(&t1);
	m_ints_free(&t2);
}

static void
build_groups(struct qy_match *m)
{
	int32_t cap = 0;
	for (int32_t i = 0; i < m->nres; i++) {
		struct m_resource *r = &m->res[i];
		int32_t key[4] = {r->district, r->street, r->community, r->category};
		int32_t g = m_keys_intern(&m->group_keys, key);
		if (g == m->ngroups) {
			if (g == cap) {
				cap = cap ? cap * 2 : 64;
				m->groups = qy_xrealloc(m->groups, (size_t)cap * sizeof *m->groups);
			}
			struct m_group *ng = &m->groups[g];
			memset(ng, 0, sizeof *ng);
			ng->district = r->district;
			ng->street = r->street;
			ng->community = r->community;
			ng->category = r->category;
			ng->tier = r->street < 0      ? M_TIER_DISTRICT
				   : r->community < 0 ? M_TIER_STREET
						      : M_TIER_COMMUNITY;
			m->ngroups++;
		}
		struct m_group *gr = &m->groups[g];
		r->group = g;
		m_ints_push(&gr->res, i);
		if (r->nu != INT32_MAX)
			m_ints_push(&gr->untils, r->nu);
		if (r->nf != 0)
			m_ints_push(&gr->froms, r->nf);
		if (r->pattern >= 0)
			m_ints_push(&gr->patterns, r->pattern);
	}
	for (int32_t g = 0; g < m->ngroups; g++) {
		sort_unique(&m->groups[g].untils);
		sort_unique(&m->groups[g].froms);
		sort_unique(&m->groups[g].patterns);
	}
}

/* Units named by some pair row: only for those does the unit tell
 * resources apart. */
static uint8_t *
paired_units(const struct qy_match *m)
{
	uint8_t *is = qy_xcalloc((size_t)m->text.n + 1, 1);
	for (int32_t p = 0; p < m->npairs; p++)
		is[m->pairs[p].unit] = 1;
	return is;
}

static void
build_rclasses(struct qy_match *m)
{
	uint8_t *named = paired_units(m);
	struct m_keys keys;
	m_keys_init(&keys, 5);
	int32_t cap = 0;
	for (int32_t i = 0; i < m->nres; i++) {
		struct m_resource *r = &m->res[i];
		int32_t key[5] = {r->group, r->pattern, r->nu, r->nf,
				  named[r->unit] ? r->unit : -1};
		int32_t c = m_keys_intern(&keys, key);
		if (c == m->nrc) {
			if (c == cap) {
				cap = cap ? cap * 2 : 256;
				m->rcs = qy_xrealloc(m->rcs, (size_t)cap * sizeof *m->rcs);
			}
			struct m_rclass *rc = &m->rcs[m->nrc++];
			const struct m_group *g = &m->groups[r->group];
			memset(rc, 0, sizeof *rc);
			rc->group = r->group;
			rc->pattern = r->pattern;
			rc->nu = r->nu;
			rc->nf = r->nf;
			rc->unit = key[4];
			rc->urank = r->nu == INT32_MAX ? (int32_t)g->untils.n
						       : rank_below(&g->untils, r->nu);
			rc->frank = r->nf == 0 ? -1 : rank_below(&g->froms, r->nf);
			m_ints_push(&m->groups[r->group].rcs, c);
		}
		r->rclass = c;
		m->rcs[c].capacity += r->capacity;
		m_ints_push(&m->rcs[c].members, i);
	}
	m_keys_free(&keys);
	free(named);
}

static void
build_unit_index(struct qy_match *m)
{
	m->nunit_rcs = m->text.n;
	m->unit_rcs = qy_xcalloc((size_t)m->nunit_rcs + 1, sizeof *m->unit_rcs);
	for (int32_t c = 0; c < m->nrc; c++)
		if (m->rcs[c].unit >= 0)
			m_ints_push(&m->unit_rcs[m->rcs[c].unit], c);
}

/* A pair row links a locality with a unit when its community is the
 * locality's and its district and street, where given, are too (an empty
 * demand field does not match a given one). */
static void
build_loc_pairs(struct qy_match *m)
{
	int32_t nloc = m->locs.n;
	int32_t *key = qy_xmalloc(((size_t)m->npairs + 1) * sizeof *key);
	for (int32_t p = 0; p < m->npairs; p++)
		key[p] = m->pairs[p].community;
	int32_t *off, *items;
	m_csr_build(m->text.n, m->npairs, key, &off, &items);
	free(key);
	m->loc_pair_off = qy_xmalloc(((size_t)nloc + 1) * sizeof *m->loc_pair_off);
	struct m_ints units = {0};
	for (int32_t l = 0; l < nloc; l++) {
		const int32_t *loc = m->locs.key + 3 * l;
		m->loc_pair_off[l] = (int32_t)m->loc_pair_units.n;
		units.n = 0;
		for (int32_t i = off[loc[2]]; i < off[loc[2] + 1]; i++) {
			const struct m_pair *p = &m->pairs[items[i]];
			if ((p->district < 0 || p->district == loc[0]) &&
			    (p->street < 0 || p->street == loc[1]))
				m_ints_push(&units, p->unit);
		}
		sort_unique(&units);
		for (size_t i = 0; i < units.n; i++)
			m_ints_push(&m->loc_pair_units, units.v[i]);
	}
	m->loc_pair_off[nloc] = (int32_t)m->loc_pair_units.n;
	m_ints_free(&units);
	free(off);
	free(items);
}

/* Per (locality, category): the groups that can reach it, and their
 * untils and froms merged — a demand's rank among those fixes which of
 * those resources its dates allow. */
static void
build_lc(struct qy_match *m)
{
	struct m_ints districts = {0}, u = {0}, f = {0};
	for (int32_t g = 0; g < m->ngroups; g++)
		m_ints_push(&districts, m->groups[g].district);
	m_ints_push(&districts, -1);
	sort_unique(&districts);
	int32_t nlc = m->locs.n * M_NCAT;
	m->lc_group_off = qy_xmalloc(((size_t)nlc + 1) * sizeof *m->lc_group_off);
	m->lc_u_off = qy_xmalloc(((size_t)nlc + 1) * sizeof *m->lc_u_off);
	m->lc_f_off = qy_xmalloc(((size_t)nlc + 1) * sizeof *m->lc_f_off);
	for (int32_t lc = 0; lc < nlc; lc++) {
		const int32_t *loc = m->locs.key + 3 * (lc / M_NCAT);
		int32_t cat = lc % M_NCAT;
		m->lc_group_off[lc] = (int32_t)m->lc_groups.n;
		u.n = f.n = 0;
		int32_t one[2] = {loc[0], -1};
		const int32_t *dl = loc[0] >= 0 ? one : districts.v;
		size_t nd = loc[0] >= 0 ? 2 : districts.n;
		const int32_t scopes[3][2] = {{loc[1], loc[2]}, {loc[1], -1}, {-1, -1}};
		for (int s = 0; s < 3; s++)
			for (size_t di = 0; di < nd; di++)
				for (int c = 0; c < 2; c++) {
					int32_t key[4] = {dl[di], scopes[s][0], scopes[s][1],
							  c ? M_CAT_ANY : cat};
					int32_t g = m_keys_find(&m->group_keys, key);
					if (g < 0)
						continue;
					m_ints_push(&m->lc_groups, g);
					const struct m_group *gr = &m->groups[g];
					for (size_t i = 0; i < gr->untils.n; i++)
						m_ints_push(&u, gr->untils.v[i]);
					for (size_t i = 0; i < gr->froms.n; i++)
						m_ints_push(&f, gr->froms.v[i]);
				}
		sort_unique(&u);
		sort_unique(&f);
		m->lc_u_off[lc] = (int32_t)m->lc_untils.n;
		m->lc_f_off[lc] = (int32_t)m->lc_froms.n;
		for (size_t i = 0; i < u.n; i++)
			m_ints_push(&m->lc_untils, u.v[i]);
		for (size_t i = 0; i < f.n; i++)
			m_ints_push(&m->lc_froms, f.v[i]);
	}
	m->lc_group_off[nlc] = (int32_t)m->lc_groups.n;
	m->lc_u_off[nlc] = (int32_t)m->lc_untils.n;
	m->lc_f_off[nlc] = (int32_t)m->lc_froms.n;
	m_ints_free(&districts);
	m_ints_free(&u);
	m_ints_free(&f);
}

static void
build_loc_index(struct qy_match *m)
{
	struct m_loc_index *ix = &m->ix;
	int32_t n = m->locs.n, ntext = m->text.n;
	int32_t *key = qy_xmalloc(((size_t)n + 1) * sizeof *key);
	ix->nlocs = n;
	for (int32_t l = 0; l < n; l++)
		key[l] = m->locs.key[3 * l + 1];
	m_csr_build(ntext, n, key, &ix->by_street_off, &ix->by_street);
	for (int32_t l = 0; l < n; l++)
		key[l] = m->locs.key[3 * l] + 1;
	m_csr_build(ntext + 1, n, key, &ix->by_dist_off, &ix->by_dist);
	free(key);
}

static int
scope_covers(const struct m_group *g, const int32_t *loc)
{
	if (g->street >= 0 && loc[1] != g->street)
		return 0;
	if (g->community >= 0 && loc[2] != g->community)
		return 0;
	return g->district < 0 || loc[0] < 0 || loc[0] == g->district;
}

void
m_for_covered_locs(const struct qy_match *m, const struct m_group *g,
		   void (*fn)(void *arg, int32_t loc), void *arg)
{
	const struct m_loc_index *ix = &m->ix;
	if (g->street >= 0) {
		for (int32_t i = ix->by_street_off[g->street]; i < ix->by_street_off[g->street + 1];
		     i++)
			if (scope_covers(g, m->locs.key + 3 * ix->by_street[i]))
				fn(arg, ix->by_street[i]);
	} else if (g->district >= 0) {
		/* the district's localities, then those that give no district */
		for (int32_t i = ix->by_dist_off[g->district + 1];
		     i < ix->by_dist_off[g->district + 2]; i++)
			fn(arg, ix->by_dist[i]);
		for (int32_t i = ix->by_dist_off[0]; i < ix->by_dist_off[1]; i++)
			fn(arg, ix->by_dist[i]);
	} else {
		for (int32_t l = 0; l < ix->nlocs; l++)
			fn(arg, l);
	}
}

void
m_prepare(struct qy_match *m)
{
	normalise_dates(m);
	build_groups(m);
	build_rclasses(m);
	build_unit_index(m);
	build_loc_pairs(m);
	build_lc(m);
	build_loc_index(m);
}

void
m_free_prepared(struct qy_match *m)
{
	struct m_loc_index *ix = &m->ix;
	free(ix->by_street_off);
	free(ix->by_street);
	free(ix->by_dist_off);
	free(ix->by_dist);
	free(m->lc_u_off);
	free(m->lc_f_off);
}

/* ---- one pair, by the words of SPEC 4 ------------------------------------------- */

int
m_reaches(const struct qy_match *m, const struct m_resource *r, const struct m_demand *d, int *tier)
{
	const int32_t *loc = m->locs.key + 3 * d->loc;
	if (r->category != M_CAT_ANY && r->category != d->category)
		return 0;
	if (r->district >= 0 && loc[0] >= 0 && r->district != loc[0])
		return 0;
	if (r->street < 0) {
		*tier = M_TIER_DISTRICT;
		return 1;
	}
	if (r->street != loc[1])
		return 0;
	if (r->community < 0) {
		*tier = M_TIER_STREET;
		return 1;
	}
	*tier = M_TIER_COMMUNITY;
	return r->community == loc[2];
}

int
m_time_ok(const struct qy_match *m, const struct m_resource *r, const struct m_demand *d)
{
	int32_t t1 = d->submitted > m->o.as_of ? d->submitted : (int32_t)m->o.as_of;
	if (r->until != M_DAY_MAX && r->until < t1)
		return 0;
	return r->from == M_DAY_MIN || d->needed_by == M_DAY_MAX || r->from <= d->needed_by;
}

int
m_paired(const struct qy_match *m, const struct m_demand *d, const struct m_resource *r)
{
	for (int32_t i = m->loc_pair_off[d->loc]; i < m->loc_pair_off[d->loc + 1]; i++)
		if (m->loc_pair_units.v[i] == r->unit)
			return 1;
	return 0;
}

int
m_keyword(const struct qy_match *m, const struct m_demand *d, const struct m_resource *r)
{
	if (d->kk < 0 || r->pattern < 0)
		return 0;
	int32_t sig = m->kk_sig[d->kk];
	const int32_t *v = (const int32_t *)(const void *)m_pool_str(&m->sigs, sig);
	size_t n = m->sigs.len[sig] / (2 * sizeof *v);
	for (size_t i = 0; i < n; i++)
		if (v[2 * i] == r->group && v[2 * i + 1] == r->pattern)
			return 1;
	return 0;
}

int
m_score(const struct qy_match *m, const struct m_demand *d, const struct m_resource *r, int *tier,
	int *paired, int *keyword)
{
	const struct qy_match_weights *w = &m->o.w;
	m_reaches(m, r, d, tier);
	*paired = m_paired(m, d, r);
	*keyword = m_keyword(m, d, r);
	int s = *tier == M_TIER_COMMUNITY ? w->community
		: *tier == M_TIER_STREET  ? w->street
					  : w->district;
	return s + *paired * w->paired + *keyword * w->keyword + d->weeks * w->wait;
}
