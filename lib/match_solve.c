/* match_solve.c — the exact dispatch of SPEC 4 as one min-cost flow per
 * connected part of the city.
 *
 * THE NETWORK.  Per component: a source s, a sink t, and
 *  - a node per demand CLASS: open demands that are interchangeable — the
 *    same locality, category, keyword signature (match_kw.c) and the same
 *    rank of their dates among the dates of the resources that reach them,
 *    hence exactly the same eligible resources with the same pair scores.
 *    s → class arcs, one per (priority, weeks waited) within the class,
 *    carry the demands' units; their cost holds the priority and the wait;
 *  - a HUB node per (resource group, part, date ranks) used by several
 *    classes: a group is one scope and category (a street's care resources,
 *    a district's any-category ones …), its part all of them, those without
 *    a working pattern, or those with one pattern; the hub reaches exactly
 *    the group's resources the ranks allow.  class → hub costs the tier
 *    score (plus the keyword weight where the class's signature matched
 *    the part's pattern); hub → resource costs 0.  So a district-wide
 *    resource is one arc from each hub, not one per demand;
 *  - a node per resource, resource → t with its capacity left after claims;
 *  - direct class → resource arcs for paired resources (their score is the
 *    pair's own), and where a hub would serve one class only;
 *  - s → t, free, for the units nobody can take.
 *
 * EXACTNESS OF THE ROUTES.  Every class → … → resource route scores at most
 * the pair's true score, and every eligible pair has a route scoring exactly
 * it: with keyword ≥ 0 a class uses the all-resources hub (tier only, ≤ the
 * truth) plus the hubs of the matched patterns (exact); with keyword < 0 it
 * uses one hub per part at that part's exact score; with paired > 0 the
 * paired resources get direct arcs at the exact score (the hubs stay, they
 * score less); with paired < 0 the groups holding a paired resource are not
 * used through hubs at all, only by direct arcs at exact scores.  Hence the
 * network's optimum equals the true optimum, and decomposing its flow and
 * re-scoring each (demand, resource) unit with its true score can only
 * reach that optimum, never exceed it: the dispatch is optimal.
 *
 * THE LEXICOGRAPHIC OBJECTIVE IN ONE COST.  Let S be the largest |score
 * part| on any one arc (≤ 12,000 for the wait, ≤ 3,000 elsewhere) and n the
 * node count.  The score parts sit on s → class arcs and class → hub/resource
 * arcs only; a simple cycle meets each class at most once and uses at most
 * two arcs there, and s at most once, so its score parts sum to at most
 * (2n + 1)·S in absolute value.  With G = (2n + 1)·S + 1 and the units of a
 * normal, urgent, critical demand worth K = G, 2G, 3G, a cycle that trades a
 * unit of a lower priority for one of a higher (or adds one) changes the
 * cost by at least G minus its score parts < 0, and a cycle that keeps the
 * priority counts changes it by its score parts alone.  So a flow with no
 * negative cycle — the simplex's optimum — admits no cycle improving the
 * lexicographic objective, which by the conformal decomposition of flows
 * means it is lexicographically optimal.
 *
 * THE NUMBERS FIT.  The artificial start arcs cost A = 4G + 1, more than any
 * path of real arcs (at most one s arc: 3G + S, plus n·S < G).  Potentials
 * are sums of costs along a tree path, which passes s, t and the root at
 * most once each, so |π| ≤ 2A + 2(3G + S) + n·S < 16G ≈ 32·n·S: for n = 10^8
 * nodes and S = 12,000 that is ~4·10^13, far inside int64.  Flows are at
 * most Σ quantities ≤ 2·10^6 × 10^5 = 2·10^11.  The objective's total score
 * is summed in int64 separately (≤ 2·10^11 × 15,000 = 3·10^15).
 *
 * COMPONENTS AND THREADS.  Demands and resources of different districts
 * never meet unless one side leaves its district empty; districts are
 * joined (union–find) by every resource group that covers localities of
 * several, so each component is an exact subproblem.  Components are
 * solved side by side (largest first); each writes only its own demands'
 * fields and its own rows, and builds its network in input order, so the
 * output never depends on which thread ran what. */
#include <stdlib.h>
#include <string.h>

#include "match_int.h"
#include "mcf.h"

/* ---- components -------------------------------------------------------------- */

struct comp {
	struct m_ints dem; /* open demands, input order */
	struct m_row *rows;
	size_t nrows, cap;
};

static int32_t
uf_find(int32_t *parent, int32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static void
uf_union(int32_t *parent, int32_t a, int32_t b)
{
	a = uf_find(parent, a);
	b = uf_find(parent, b);
	if (a != b) /* the smaller index stays the root: deterministic */
		parent[a > b ? a : b] = a < b ? a : b;
}

struct union_arg {
	const struct qy_match *m;
	int32_t *parent;
	const int32_t *slot_of_loc;
	int32_t first;
};

static void
union_loc(void *arg, int32_t loc)
{
	struct union_arg *u = arg;
	int32_t s = u->slot_of_loc[loc];
	if (u->first < 0)
		u->first = s;
	else
		uf_union(u->parent, u->first, s);
}

/* Component of each locality: districts (and "no district") joined by the
 * groups that span them. */
static int32_t *
components(const struct qy_match *m, int32_t *ncomp)
{
	struct m_keys slots;
	m_keys_init(&slots, 1);
	int32_t nloc = m->locs.n;
	int32_t *slot_of_loc = qy_xmalloc(((size_t)nloc + 1) * sizeof *slot_of_loc);
	for (int32_t l = 0; l < nloc; l++)
		slot_of_loc[l] = m_keys_intern(&slots, &m->locs.key[3 * l]);
	int32_t *parent = qy_xmalloc(((size_t)slots.n + 1) * sizeof *parent);
	for (int32_t s = 0; s < slots.n; s++)
		parent[s] = s;
	for (int32_t g = 0; g < m->ngroups; g++) {
		struct union_arg u = {m, parent, slot_of_loc, -1};
		const struct m_group *gr = &m->groups[g];
		if (gr->street < 0 && gr->district < 0) {
			for (int32_t s = 1; s < slots.n; s++) /* a city-wide group joins all */
				uf_union(parent, 0, s);
			continue;
		}
		m_for_covered_locs(m, gr, union_loc, &u);
	}
	int32_t *comp_of_slot = qy_xmalloc(((size_t)slots.n + 1) * sizeof *comp_of_slot);
	int32_t *comp_of_loc = qy_xmalloc(((size_t)nloc + 1) * sizeof *comp_of_loc);
	for (int32_t s = 0; s < slots.n; s++)
		comp_of_slot[s] = -1;
	*ncomp = 0;
	for (int32_t l = 0; l < nloc; l++) {
		int32_t root = uf_find(parent, slot_of_loc[l]);
		if (comp_of_slot[root] < 0)
			comp_of_slot[root] = (*ncomp)++;
		comp_of_loc[l] = comp_of_slot[root];
	}
	free(comp_of_slot);
	free(parent);
	free(slot_of_loc);
	m_keys_free(&slots);
	return comp_of_loc;
}

/* ---- one component's network ------------------------------------------------------ */

enum { PART_ALL = -2, PART_NONE = -1 };

struct hub {
	int32_t group, part;
	struct m_ints res; /* eligible resources, input order */
	int32_t users, last_user;
	int32_t node; /* -1: expanded into direct arcs */
	int32_t live; /* resources with capacity left */
};

/* A class's wish for an arc: to a hub (hub ≥ 0) or a resource. */
struct req {
	int32_t cls, hub, res, score;
};

struct net {
	struct qy_match *m;
	struct comp *c;
	const struct qy_match_weights *w;
	/* classes */
	struct m_keys class_keys; /* (loc, category, until rank, from rank, signature) */
	int32_t nclass;
	int32_t *class_off, *class_dem; /* class → its demands (comp indices, input order) */
	uint8_t *class_elig;		/* it has some eligible resource */
	/* hubs and arc wishes */
	struct m_keys hub_keys; /* (group, part, until rank, from rank) */
	struct hub *hubs;
	int32_t nhubs, hub_cap;
	struct req *reqs;
	size_t nreqs, req_cap;
	struct m_ints paired, tainted; /* scratch per class */
	/* the flow problem */
	struct qy_mcf g;
	int32_t *res_node;		      /* resource → node, -1 */
	int32_t *arc_cls, *arc_hub, *arc_res; /* per arc, -1 when not that kind */
	int32_t arc_book_cap;
	int32_t *src_arc_off;		    /* class → its s arcs */
	struct m_ints src_arcs, src_bucket; /* arcs, priority × 13 + weeks */
	int64_t smax;
};

static int
tier_weight(const struct qy_match_weights *w, int tier)
{
	return tier == M_TIER_COMMUNITY ? w->community
	       : tier == M_TIER_STREET	? w->street
					: w->district;
}

static void
push_req(struct net *n, int32_t cls, int32_t hub, int32_t res, int32_t score)
{
	if (n->nreqs == n->req_cap) {
		n->req_cap = n->req_cap ? n->req_cap * 2 : 1024;
		n->reqs = qy_xrealloc(n->reqs, n->req_cap * sizeof *n->reqs);
	}
	n->reqs[n->nreqs++] = (struct req){cls, hub, res, score};
	if (hub >= 0 && n->hubs[hub].last_user != cls) {
		n->hubs[hub].last_user = cls;
		n->hubs[hub].users++;
	}
}

/* The hub of (group, part) at the class's date ranks within the group. */
static int32_t
get_hub(struct net *n, int32_t group, int32_t part, int32_t tu, int32_t tf)
{
	int32_t key[4] = {group, part, tu, tf};
	int32_t h = m_keys_intern(&n->hub_keys, key);
	if (h < n->nhubs)
		return h;
	if (n->nhubs == n->hub_cap) {
		n->hub_cap = n->hub_cap ? n->hub_cap * 2 : 256;
		n->hubs = qy_xrealloc(n->hubs, (size_t)n->hub_cap * sizeof *n->hubs);
	}
	struct hub *hb = &n->hubs[n->nhubs++];
	memset(hb, 0, sizeof *hb);
	hb->group = group;
	hb->part = part;
	hb->last_user = -1;
	hb->node = -1;
	const struct qy_match *m = n->m;
	const struct m_group *g = &m->groups[group];
	for (size_t i = 0; i < g->res.n; i++) {
		const struct m_resource *r = &m->res[g->res.v[i]];
		if (r->urank < tu || r->frank >= tf)
			continue;
		if (part != PART_ALL && r->pattern != part)
			continue;
		m_ints_push(&hb->res, g->res.v[i]);
		hb->live += r->capacity > 0;
	}
	return h;
}

static int32_t
rank_below(const int32_t *v, int32_t n, int32_t x)
{
	int32_t lo = 0, hi = n;
	while (lo < hi) {
		int32_t mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int32_t
t1_of(const struct qy_match *m, const struct m_demand *d)
{
	return d->submitted > m->o.as_of ? d->submitted : (int32_t)m->o.as_of;
}

/* Untils must be ≥ t1: the rank of the first allowed.  Froms must be ≤
 * needed_by: the count allowed. */
static int32_t
until_rank(const int32_t *u, int32_t nu, int32_t t1)
{
	return rank_below(u, nu, t1);
}

static int32_t
from_rank(const int32_t *f, int32_t nf, int32_t needed_by)
{
	if (needed_by == M_DAY_MAX)
		return nf;
	return rank_below(f, nf, needed_by + 1);
}

static void
make_classes(struct net *n)
{
	struct qy_match *m = n->m;
	struct comp *c = n->c;
	int32_t nd = (int32_t)c->dem.n;
	int32_t *cls_of = qy_xmalloc(((size_t)nd + 1) * sizeof *cls_of);
	m_keys_init(&n->class_keys, 5);
	for (int32_t i = 0; i < nd; i++) {
		const struct m_demand *d = &m->dem[c->dem.v[i]];
		int32_t lc = d->loc * M_NCAT + d->category;
		int32_t uo = m->lc_u_off[lc], fo = m->lc_f_off[lc];
		int32_t key[5] = {
		    d->loc, d->category,
		    until_rank(m->lc_untils.v + uo, m->lc_u_off[lc + 1] - uo, t1_of(m, d)),
		    from_rank(m->lc_froms.v + fo, m->lc_f_off[lc + 1] - fo, d->needed_by),
		    m->kk_sig[d->kk]};
		cls_of[i] = m_keys_intern(&n->class_keys, key);
	}
	n->nclass = n->class_keys.n;
	m_csr_build(n->nclass, nd, cls_of, &n->class_off, &n->class_dem);
	free(cls_of);
	n->class_elig = qy_xcalloc((size_t)n->nclass + 1, 1);
}

/* The signature's (group, pattern) pairs of group g: [*lo, *hi). */
static void
sig_of_group(const struct qy_match *m, int32_t sig, int32_t g, const int32_t **v, size_t *lo,
	     size_t *hi)
{
	*v = (const int32_t *)(const void *)m_pool_str(&m->sigs, sig);
	size_t cnt = m->sigs.len[sig] / (2 * sizeof(int32_t)), a = 0, b = cnt;
	while (a < b) {
		size_t mid = (a + b) / 2;
		if ((*v)[2 * mid] < g)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	for (b = a; b < cnt && (*v)[2 * b] == g; b++)
		;
	*hi = b;
}

static int
pair_score(const struct net *n, const struct m_demand *d, const struct m_resource *r)
{
	int tier, paired, keyword;
	int s = m_score(n->m, d, r, &tier, &paired, &keyword);
	return s - d->weeks * n->w->wait; /* the wait sits on the s arc */
}

/* The paired resources eligible for the class, and (paired < 0) the groups
 * they make unusable through hubs. */
static void
find_paired(struct net *n, const struct m_demand *d)
{
	const struct qy_match *m = n->m;
	n->paired.n = n->tainted.n = 0;
	if (n->w->paired == 0)
		return;
	for (int32_t i = m->loc_pair_off[d->loc]; i < m->loc_pair_off[d->loc + 1]; i++) {
		const struct m_ints *rs = &m->unit_res[m->loc_pair_units.v[i]];
		for (size_t k = 0; k < rs->n; k++) {
			const struct m_resource *r = &m->res[rs->v[k]];
			int tier;
			if (!m_reaches(m, r, d, &tier) || !m_time_ok(m, r, d))
				continue;
			m_ints_push(&n->paired, rs->v[k]);
			if (n->w->paired < 0)
				m_ints_push(&n->tainted, r->group);
		}
	}
}

static int
contains(const struct m_ints *a, int32_t x)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i] == x)
			return 1;
	return 0;
}

static void
class_group(struct net *n, int32_t cls, const struct m_demand *d, int32_t g)
{
	const struct qy_match *m = n->m;
	const struct m_group *gr = &m->groups[g];
	int32_t tu = until_rank(gr->untils.v, (int32_t)gr->untils.n, t1_of(m, d));
	int32_t tf = from_rank(gr->froms.v, (int32_t)gr->froms.n, d->needed_by);
	int32_t all = get_hub(n, g, PART_ALL, tu, tf);
	if (n->hubs[all].res.n == 0)
		return;
	n->class_elig[cls] = 1;
	int tw = tier_weight(n->w, gr->tier);
	if (contains(&n->tainted, g)) {
		for (size_t i = 0; i < n->hubs[all].res.n; i++) {
			int32_t r = n->hubs[all].res.v[i];
			push_req(n, cls, -1, r, pair_score(n, d, &m->res[r]));
		}
		return;
	}
	const int32_t *sig;
	size_t lo, hi;
	sig_of_group(m, m->kk_sig[d->kk], g, &sig, &lo, &hi);
	if (n->w->keyword >= 0 || gr->patterns.n == 0) {
		push_req(n, cls, all, -1, tw);
		for (size_t i = lo; n->w->keyword > 0 && i < hi; i++) {
			int32_t h = get_hub(n, g, sig[2 * i + 1], tu, tf);
			if (n->hubs[h].res.n > 0)
				push_req(n, cls, h, -1, tw + n->w->keyword);
		}
		return;
	}
	/* keyword < 0: one hub per part, each at its exact score */
	for (size_t p = 0; p <= gr->patterns.n; p++) {
		int32_t part = p == 0 ? PART_NONE : gr->patterns.v[p - 1];
		int32_t h = get_hub(n, g, part, tu, tf);
		if (n->hubs[h].res.n == 0)
			continue;
		int matched = 0;
		for (size_t i = lo; i < hi; i++)
			matched |= sig[2 * i + 1] == part;
		push_req(n, cls, h, -1, tw + (matched ? n->w->keyword : 0));
	}
}

static void
make_wishes(struct net *n)
{
	const struct qy_match *m = n->m;
	m_keys_init(&n->hub_keys, 4);
	for (int32_t cls = 0; cls < n->nclass; cls++) {
		const struct m_demand *d = &m->dem[n->c->dem.v[n->class_dem[n->class_off[cls]]]];
		int32_t lc = d->loc * M_NCAT + d->category;
		find_paired(n, d);
		for (int32_t i = m->lc_group_off[lc]; i < m->lc_group_off[lc + 1]; i++)
			class_group(n, cls, d, m->lc_groups.v[i]);
		if (n->w->paired > 0)
			for (size_t i = 0; i < n->paired.n; i++) {
				int32_t r = n->paired.v[i];
				push_req(n, cls, -1, r, pair_score(n, d, &m->res[r]));
			}
	}
}

/* ---- building and solving the flow problem ------------------------------------------- */

enum { NODE_S = 0, NODE_T = 1, NODE_CLASS0 = 2 };

static void
arc(struct net *n, int32_t u, int32_t v, int64_t cap, int64_t score, int32_t cls, int32_t hub,
    int32_t res)
{
	int e = qy_mcf_add_arc(&n->g, u, v, cap, -score);
	if (e >= n->arc_book_cap) {
		n->arc_book_cap = n->g.arc_cap;
		size_t sz = (size_t)n->arc_book_cap * sizeof(int32_t);
		n->arc_cls = qy_xrealloc(n->arc_cls, sz);
		n->arc_hub = qy_xrealloc(n->arc_hub, sz);
		n->arc_res = qy_xrealloc(n->arc_res, sz);
	}
	n->arc_cls[e] = cls;
	n->arc_hub[e] = hub;
	n->arc_res[e] = res;
	int64_t a = score < 0 ? -score : score;
	if (a > n->smax)
		n->smax = a;
}

/* Decides which hubs become nodes (shared by ≥ 2 classes and ≥ 2 live
 * resources; the others expand into direct arcs), numbers the nodes, and
 * marks the classes that have somewhere to send units. */
static int32_t
number_nodes(struct net *n, uint8_t *class_live)
{
	const struct qy_match *m = n->m;
	int32_t next = NODE_CLASS0 + n->nclass;
	for (int32_t h = 0; h < n->nhubs; h++) {
		struct hub *hb = &n->hubs[h];
		hb->node = hb->users >= 2 && hb->live >= 2 ? next++ : -1;
	}
	uint8_t *used = qy_xcalloc((size_t)m->nres + 1, 1);
	for (size_t i = 0; i < n->nreqs; i++) {
		const struct req *q = &n->reqs[i];
		if (q->hub < 0) {
			if (m->res[q->res].capacity > 0)
				used[q->res] = class_live[q->cls] = 1;
			continue;
		}
		const struct hub *hb = &n->hubs[q->hub];
		if (hb->live > 0)
			class_live[q->cls] = 1;
		for (size_t k = 0; k < hb->res.n; k++)
			used[hb->res.v[k]] |= m->res[hb->res.v[k]].capacity > 0;
	}
	n->res_node = qy_xmalloc(((size_t)m->nres + 1) * sizeof *n->res_node);
	for (int32_t r = 0; r < m->nres; r++)
		n->res_node[r] = used[r] ? next++ : -1;
	free(used);
	return next;
}

static void
source_arcs(struct net *n, int32_t cls)
{
	const struct qy_match *m = n->m;
	int64_t bucket[3 * 13] = {0};
	for (int32_t i = n->class_off[cls]; i < n->class_off[cls + 1]; i++) {
		const struct m_demand *d = &m->dem[n->c->dem.v[n->class_dem[i]]];
		bucket[d->priority * 13 + d->weeks] += d->quantity;
	}
	for (int b = 3 * 13 - 1; b >= 0; b--) {
		if (bucket[b] == 0)
			continue;
		m_ints_push(&n->src_arcs, n->g.narcs);
		m_ints_push(&n->src_bucket, b);
		qy_mcf_add_supply(&n->g, NODE_S, bucket[b]);
		qy_mcf_add_supply(&n->g, NODE_T, -bucket[b]);
		arc(n, NODE_S, NODE_CLASS0 + cls, bucket[b], (int64_t)(b % 13) * n->w->wait, cls,
		    -1, -1);
	}
}

static void
build_network(struct net *n)
{
	const struct qy_match *m = n->m;
	uint8_t *class_live = qy_xcalloc((size_t)n->nclass + 1, 1);
	qy_mcf_init(&n->g, number_nodes(n, class_live));
	n->src_arc_off = qy_xmalloc(((size_t)n->nclass + 1) * sizeof *n->src_arc_off);
	for (int32_t cls = 0; cls < n->nclass; cls++) {
		n->src_arc_off[cls] = (int32_t)n->src_arcs.n;
		if (class_live[cls])
			source_arcs(n, cls);
	}
	n->src_arc_off[n->nclass] = (int32_t)n->src_arcs.n;
	free(class_live);
	for (size_t i = 0; i < n->nreqs; i++) {
		const struct req *q = &n->reqs[i];
		int32_t from = NODE_CLASS0 + q->cls;
		if (q->hub < 0) {
			if (n->res_node[q->res] >= 0)
				arc(n, from, n->res_node[q->res], QY_MCF_INF, q->score, q->cls, -1,
				    q->res);
			continue;
		}
		const struct hub *hb = &n->hubs[q->hub];
		if (hb->node >= 0) {
			if (hb->live > 0)
				arc(n, from, hb->node, QY_MCF_INF, q->score, q->cls, q->hub, -1);
			continue;
		}
		for (size_t k = 0; k < hb->res.n; k++) {
			int32_t r = hb->res.v[k];
			if (m->res[r].capacity > 0)
				arc(n, from, n->res_node[r], QY_MCF_INF, q->score, q->cls, -1, r);
		}
	}
	for (int32_t h = 0; h < n->nhubs; h++) {
		const struct hub *hb = &n->hubs[h];
		for (size_t k = 0; hb->node >= 0 && k < hb->res.n; k++) {
			int32_t r = hb->res.v[k];
			if (m->res[r].capacity > 0)
				arc(n, hb->node, n->res_node[r], QY_MCF_INF, 0, -1, h, r);
		}
	}
	for (int32_t r = 0; r < m->nres; r++)
		if (n->res_node[r] >= 0)
			arc(n, n->res_node[r], NODE_T, m->res[r].capacity, 0, -1, -1, r);
	arc(n, NODE_S, NODE_T, QY_MCF_INF, 0, -1, -1, -1);
}

/* Puts the priorities into the s arcs' costs (see the top comment) and
 * solves. */
static void
solve_network(struct net *n)
{
	int64_t G = (2 * (int64_t)n->g.nnodes + 1) * n->smax + 1;
	for (size_t i = 0; i < n->src_arcs.n; i++)
		n->g.cost[n->src_arcs.v[i]] -= (int64_t)(n->src_bucket.v[i] / 13 + 1) * G;
	int rc = qy_mcf_solve(&n->g, 4 * G + 1);
	if (rc != QY_MCF_OPTIMAL)
		qy_fatal(n->m->d, "internal error: the dispatch network has no optimum (%d)", rc);
}

/* ---- from flows back to demands ------------------------------------------------------ */

struct triple {
	int32_t cls, res;
	int64_t units;
};

static int
triple_cmp(const void *a, const void *b)
{
	const struct triple *x = a, *y = b;
	if (x->cls != y->cls)
		return x->cls < y->cls ? -1 : 1;
	return (x->res > y->res) - (x->res < y->res);
}

struct triples {
	struct triple *v;
	size_t n, cap;
};

static void
push_triple(struct triples *t, int32_t cls, int32_t res, int64_t units)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->v = qy_xrealloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n++] = (struct triple){cls, res, units};
}

/* A hub's inflow (by class, in class order) and outflow (by resource, in
 * input order) are matched first-come first-served: every class entering
 * the hub may use every resource leaving it, at the same score. */
static void
split_hubs(struct net *n, struct triples *out)
{
	int32_t narcs = n->g.narcs;
	struct m_ints in_arcs = {0}, in_hub = {0}, out_arcs = {0}, out_hub = {0};
	for (int32_t e = 0; e < narcs; e++) {
		if (n->arc_hub[e] < 0 || n->g.flow[e] == 0)
			continue;
		if (n->arc_cls[e] >= 0) {
			m_ints_push(&in_arcs, e);
			m_ints_push(&in_hub, n->arc_hub[e]);
		} else {
			m_ints_push(&out_arcs, e);
			m_ints_push(&out_hub, n->arc_hub[e]);
		}
	}
	int32_t *in_off, *in_items, *out_off, *out_items;
	m_csr_build(n->nhubs, (int32_t)in_arcs.n, in_hub.v, &in_off, &in_items);
	m_csr_build(n->nhubs, (int32_t)out_arcs.n, out_hub.v, &out_off, &out_items);
	for (int32_t h = 0; h < n->nhubs; h++) {
		int32_t i = in_off[h], o = out_off[h];
		int64_t in_left = 0, out_left = 0;
		while (i < in_off[h + 1] && o < out_off[h + 1]) {
			int32_t ei = in_arcs.v[in_items[i]], eo = out_arcs.v[out_items[o]];
			if (in_left == 0)
				in_left = n->g.flow[ei];
			if (out_left == 0)
				out_left = n->g.flow[eo];
			int64_t x = in_left < out_left ? in_left : out_left;
			push_triple(out, n->arc_cls[ei], n->arc_res[eo], x);
			in_left -= x;
			out_left -= x;
			if (in_left == 0)
				i++;
			if (out_left == 0)
				o++;
		}
	}
	free(in_off);
	free(in_items);
	free(out_off);
	free(out_items);
	m_ints_free(&in_arcs);
	m_ints_free(&in_hub);
	m_ints_free(&out_arcs);
	m_ints_free(&out_hub);
}

static void
push_row(struct comp *c, int32_t demand, int32_t res, int64_t units)
{
	if (c->nrows == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->rows = qy_xrealloc(c->rows, c->cap * sizeof *c->rows);
	}
	c->rows[c->nrows++] = (struct m_row){demand, res, units};
}

/* Within a class, demands take the units their (priority, wait) bucket was
 * given in input order, then the class's units per resource are handed out
 * first-come first-served, in resource input order. */
static void
serve_class(struct net *n, int32_t cls, const struct triple *t, size_t nt)
{
	struct qy_match *m = n->m;
	int64_t left[3 * 13] = {0};
	for (int32_t i = n->src_arc_off[cls]; i < n->src_arc_off[cls + 1]; i++)
		left[n->src_bucket.v[i]] = n->g.flow[n->src_arcs.v[i]];
	size_t k = 0;
	int64_t res_left = nt ? t[0].units : 0;
	for (int32_t i = n->class_off[cls]; i < n->class_off[cls + 1]; i++) {
		int32_t di = n->c->dem.v[n->class_dem[i]];
		struct m_demand *d = &m->dem[di];
		int64_t *b = &left[d->priority * 13 + d->weeks];
		int64_t give = *b < d->quantity ? *b : d->quantity;
		*b -= give;
		d->served = (int32_t)give;
		d->reason = give == d->quantity	 ? M_SERVED
			    : n->class_elig[cls] ? M_CAPACITY
						 : M_NO_RESOURCE;
		while (give > 0 && k < nt) {
			int64_t x = give < res_left ? give : res_left;
			push_row(n->c, di, t[k].res, x);
			give -= x;
			res_left -= x;
			if (res_left == 0 && ++k < nt)
				res_left = t[k].units;
		}
		if (give > 0)
			qy_fatal(m->d, "internal error: flow lost in class %d", (int)cls);
	}
}

static void
extract(struct net *n)
{
	struct triples t = {0};
	for (int32_t e = 0; e < n->g.narcs; e++)
		if (n->arc_cls[e] >= 0 && n->arc_hub[e] < 0 && n->arc_res[e] >= 0 &&
		    n->g.flow[e] > 0)
			push_triple(&t, n->arc_cls[e], n->arc_res[e], n->g.flow[e]);
	split_hubs(n, &t);
	if (t.n > 1)
		qsort(t.v, t.n, sizeof *t.v, triple_cmp);
	size_t k = 0;
	for (size_t i = 0; i < t.n; i++) { /* merge repeats of (class, resource) */
		if (k > 0 && t.v[k - 1].cls == t.v[i].cls && t.v[k - 1].res == t.v[i].res)
			t.v[k - 1].units += t.v[i].units;
		else
			t.v[k++] = t.v[i];
	}
	size_t at = 0;
	for (int32_t cls = 0; cls < n->nclass; cls++) {
		size_t from = at;
		while (at < k && t.v[at].cls == cls)
			at++;
		serve_class(n, cls, t.v + from, at - from);
	}
	free(t.v);
}

static void
net_free(struct net *n)
{
	m_keys_free(&n->class_keys);
	m_keys_free(&n->hub_keys);
	free(n->class_off);
	free(n->class_dem);
	free(n->class_elig);
	for (int32_t h = 0; h < n->nhubs; h++)
		m_ints_free(&n->hubs[h].res);
	free(n->hubs);
	free(n->reqs);
	m_ints_free(&n->paired);
	m_ints_free(&n->tainted);
	qy_mcf_free(&n->g);
	free(n->res_node);
	free(n->arc_cls);
	free(n->arc_hub);
	free(n->arc_res);
	free(n->src_arc_off);
	m_ints_free(&n->src_arcs);
	m_ints_free(&n->src_bucket);
}

static void
solve_comp(struct qy_match *m, struct comp *c)
{
	struct net n;
	memset(&n, 0, sizeof n);
	n.m = m;
	n.c = c;
	n.w = &m->o.w;
	make_classes(&n);
	make_wishes(&n);
	m_trace(m, "component of %zu demands: %d classes, %d hubs, %zu arc wishes", c->dem.n,
		(int)n.nclass, (int)n.nhubs, n.nreqs);
	build_network(&n);
	m_trace(m, "network: %d nodes, %d arcs", n.g.nnodes, n.g.narcs);
	solve_network(&n);
	m_trace(m, "simplex: %ld pivots", n.g.pivots);
	extract(&n);
	net_free(&n);
}

/* ---- all components ----------------------------------------------------------------- */

struct all {
	struct qy_match *m;
	struct comp *comps;
	int32_t *order;
};

static void
comp_task(void *arg, int32_t i)
{
	struct all *a = arg;
	solve_comp(a->m, &a->comps[a->order[i]]);
}

struct comp_size {
	size_t n;
	int32_t c;
};

static int
comp_size_cmp(const void *a, const void *b)
{
	const struct comp_size *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return (x->c > y->c) - (x->c < y->c);
}

static void
merge_rows(struct qy_match *m, struct comp *comps, int32_t ncomp)
{
	size_t total = 0;
	for (int32_t c = 0; c < ncomp; c++)
		total += comps[c].nrows;
	m->rows = qy_xmalloc((total + 1) * sizeof *m->rows);
	m->nrows = total;
	for (int32_t d = 0; d < m->ndem; d++)
		m->dem[d].nrows = 0;
	for (int32_t c = 0; c < ncomp; c++)
		for (size_t i = 0; i < comps[c].nrows; i++)
			m->dem[comps[c].rows[i].demand].nrows++;
	int32_t at = 0;
	for (int32_t d = 0; d < m->ndem; d++) {
		m->dem[d].first_row = at;
		at += m->dem[d].nrows;
		m->dem[d].nrows = 0;
	}
	/* a demand's rows come from one class, already in resource order */
	for (int32_t c = 0; c < ncomp; c++)
		for (size_t i = 0; i < comps[c].nrows; i++) {
			struct m_demand *d = &m->dem[comps[c].rows[i].demand];
			m->rows[d->first_row + d->nrows++] = comps[c].rows[i];
		}
}

void
m_solve_all(struct qy_match *m)
{
	int32_t ncomp;
	int32_t *comp_of_loc = components(m, &ncomp);
	struct comp *comps = qy_xcalloc((size_t)ncomp + 1, sizeof *comps);
	for (int32_t d = 0; d < m->ndem; d++)
		if (m->dem[d].status == QY_ST_OPEN)
			m_ints_push(&comps[comp_of_loc[m->dem[d].loc]].dem, d);
	free(comp_of_loc);
	/* largest first, so that two threads finish close together */
	struct comp_size *by_size = qy_xmalloc(((size_t)ncomp + 1) * sizeof *by_size);
	for (int32_t c = 0; c < ncomp; c++)
		by_size[c] = (struct comp_size){comps[c].dem.n, c};
	qsort(by_size, (size_t)ncomp, sizeof *by_size, comp_size_cmp);
	int32_t *order = qy_xmalloc(((size_t)ncomp + 1) * sizeof *order);
	for (int32_t c = 0; c < ncomp; c++)
		order[c] = by_size[c].c;
	free(by_size);
	struct all a = {m, comps, order};
	m_parallel(m->nthreads, ncomp, comp_task, &a);
	merge_rows(m, comps, ncomp);
	for (int32_t c = 0; c < ncomp; c++) {
		m_ints_free(&comps[c].dem);
		free(comps[c].rows);
	}
	free(comps);
	free(order);
}
